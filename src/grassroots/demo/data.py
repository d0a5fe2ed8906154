"""Static content of the Shilou demo: places, units, staff titles. Synthetic but plausible.

The county, its townships and the figures (7 communities; 60 / 214 / 1,116 grids; 27 units)
follow the article in ``seed/``; village, community and grid names are invented, and so is
every person (see `names`).
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.demo.geometry import Rect

COUNTY_CODE = "141126000000"
COUNTY_NAME = "石楼县"
# The county's rough extent, and the county seat's built-up area inside 灵泉镇.
COUNTY_RECT: Rect = (110.5, 36.8, 111.2, 37.3)
URBAN_RECT: Rect = (110.812, 36.982, 110.852, 37.016)


@dataclass(frozen=True)
class Township:
    """A township of the demo: code digits 7–9, name, cell on a 3 × 3 map, its villages."""

    digits: str
    name: str
    cell: tuple[int, int]  # (row from north, column from west)
    villages: tuple[str, ...]

    @property
    def code(self) -> str:
        return f"{COUNTY_CODE[:6]}{self.digits}000"

    @property
    def is_town(self) -> bool:
        return self.name.endswith("镇")


# 5 towns (1xx) then 4 townships (2xx). 灵泉镇, the county seat, takes the centre cell.
TOWNSHIPS: tuple[Township, ...] = (
    Township(
        "100",
        "灵泉镇",
        (1, 1),
        ("胡家峪村", "前山村", "后山村", "马家坪村", "南沟村", "刘家庄村"),
    ),
    Township("101", "罗村镇", (0, 1), ("罗村", "张家河村", "郝家塔村", "上庄村", "下庄村")),
    Township(
        "102",
        "义牒镇",
        (0, 0),
        ("义牒村", "薛家坪村", "高家沟村", "呼家峁村", "王家畔村", "前庄村", "后庄村"),
    ),
    Township("103", "小蒜镇", (2, 1), ("小蒜村", "贺家岔村", "杨家峪村", "南峪村")),
    Township(
        "104",
        "辛关镇",
        (1, 0),
        ("辛关村", "黄河湾村", "马家畔村", "枣林村", "陈家坪村", "白家塔村"),
    ),
    Township("200", "龙交乡", (1, 2), ("龙交村", "李家坪村", "苗家沟村", "圪针塔村", "东庄村")),
    Township(
        "201",
        "和合乡",
        (2, 0),
        (
            "和合村",
            "郭家塔村",
            "曹家岔村",
            "冯家沟村",
            "西峪村",
            "寨子上村",
            "白家山村",
            "孙家坪村",
        ),
    ),
    Township("202", "曹家垣乡", (2, 2), ("曹家垣村", "任家沟村", "杜家峁村", "韩家岔村", "枣坪村")),
    Township(
        "203",
        "裴沟乡",
        (0, 2),
        ("裴沟村", "赵家坪村", "阳坡村", "背坡村", "郭家庄村", "孟家塔村"),
    ),
)
SEAT = TOWNSHIPS[0]
# Villages are numbered from 201 (统计用区划代码: 2xx are villages, 0xx communities).
FIRST_VILLAGE = 201

# The county seat's 7 communities (codes 001–007 under 灵泉镇); the first is the relocation
# community of the article.
COMMUNITIES: tuple[str, ...] = (
    "石楼小镇社区",
    "东城社区",
    "西城社区",
    "南关社区",
    "北关社区",
    "龙泉社区",
    "屈产社区",
)
RELOCATION_COMMUNITY = COMMUNITIES[0]
GRID1_TOTAL = 60
GRID2_TOTAL = 214
GRID3_TOTAL = 1116


@dataclass(frozen=True)
class CountyUnit:
    """A county department (县直单位) that handles matters."""

    name: str
    short_name: str


# The 27 units whose 87 functional matters the article counts.
COUNTY_UNITS: tuple[CountyUnit, ...] = (
    CountyUnit("县人力资源和社会保障局", "人社局"),
    CountyUnit("县民政局", "民政局"),
    CountyUnit("县医疗保障局", "医保局"),
    CountyUnit("县住房和城乡建设管理局", "住建局"),
    CountyUnit("县公安局", "公安局"),
    CountyUnit("县卫生健康和体育局", "卫体局"),
    CountyUnit("县教育科技局", "教科局"),
    CountyUnit("县农业农村局", "农业农村局"),
    CountyUnit("县水利局", "水利局"),
    CountyUnit("县市场监督管理局", "市场监管局"),
    CountyUnit("县司法局", "司法局"),
    CountyUnit("县信访局", "信访局"),
    CountyUnit("县退役军人事务局", "退役军人局"),
    CountyUnit("县应急管理局", "应急局"),
    CountyUnit("县综合行政执法局", "综合执法局"),
    CountyUnit("县交通运输局", "交通局"),
    CountyUnit("县自然资源局", "自然资源局"),
    CountyUnit("县财政局", "财政局"),
    CountyUnit("县发展和改革局", "发改局"),
    CountyUnit("县乡村振兴局", "乡村振兴局"),
    CountyUnit("县残疾人联合会", "残联"),
    CountyUnit("县妇女联合会", "妇联"),
    CountyUnit("团县委", "团县委"),
    CountyUnit("县行政审批服务管理局", "审批局"),
    CountyUnit("县税务局", "税务局"),
    CountyUnit("县供水公司", "供水公司"),
    CountyUnit("国网石楼县供电公司", "供电公司"),
)
HRSS = COUNTY_UNITS[0]


def county_unit_code(index: int) -> str:
    """The code of the `index`-th (1-based) county unit, e.g. ``U141126-01``."""
    return f"U{COUNTY_CODE[:6]}-{index:02d}"


def township_office_code(township_code: str) -> str:
    """The code of a township's office unit, e.g. ``U141126100``."""
    return f"U{township_code[:9]}"


def station_code(area_code: str) -> str:
    """The code of a community's or village's station unit, e.g. ``U141126100001``."""
    return f"U{area_code}"


def township_office_name(township: str) -> str:
    return f"{township}便民服务中心"


def station_name(place: str, *, community: bool) -> str:
    return f"{place}党群服务中心" if community else f"{place}便民服务站"


def office_phone(n: int) -> str:
    """A synthetic office landline in Lüliang's area code (0358); not anyone's real number."""
    return f"0358-52{(10007 + 173 * n) % 100000:05d}"


# Community posts besides the secretary, in the order a community fills them (15–18 in all).
COMMUNITY_TITLES: tuple[str, ...] = (
    "社区居委会副主任",
    "党建专干",
    "综治专干",
    "网格管理专干",
    "民政专干",
    "就业社保专干",
    "医保专干",
    "矛盾调解专干",
    "卫生健康专干",
    "退役军人服务专干",
    "残联专干",
    "妇联专干",
    "共青团专干",
    "住房保障专干",
    "老龄工作专干",
    "安全生产专干",
    "文化体育专干",
)
COMMUNITY_POSTS_MIN = 15
COMMUNITY_POSTS_MAX = 18

# Township office posts; a township gets a few of them.
TOWNSHIP_TITLES: tuple[str, ...] = (
    "党委副书记",
    "人大主席",
    "综治中心主任",
    "民政办主任",
    "乡村振兴办主任",
    "社会事务办干部",
    "党建办干部",
    "武装部长",
)
TOWNSHIP_LOGIN_TITLE = "便民服务中心主任"
TOWNSHIP_STAFF_MIN = 2
TOWNSHIP_STAFF_MAX = 4
HANDLERS_MIN = 1
HANDLERS_MAX = 2
