"""Named choices of the people registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    # From the 17th digit of the ID number: odd.
    MALE = "male", _("男")
    # From the 17th digit of the ID number: even.
    FEMALE = "female", _("女")


class Relation(models.TextChoices):
    # 户主.
    HEAD = "head", _("户主")
    # 配偶.
    SPOUSE = "spouse", _("配偶")
    # 子女.
    CHILD = "child", _("子女")
    # 父母.
    PARENT = "parent", _("父母")
    # 孙子女.
    GRANDCHILD = "grandchild", _("孙子女")
    # 祖父母.
    GRANDPARENT = "grandparent", _("祖父母")
    # 兄弟姐妹.
    SIBLING = "sibling", _("兄弟姐妹")
    # 儿媳、女婿等.
    IN_LAW = "in_law", _("儿媳女婿")
    # 其他亲属或非亲属.
    OTHER = "other", _("其他")


class Education(models.TextChoices):
    NONE = "none", _("未上学")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")
    UNKNOWN = "", _("未填")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("在业")
    FARMING = "farming", _("务农")
    MIGRANT = "migrant", _("外出务工")
    SELF_EMPLOYED = "self_employed", _("个体经营")
    UNEMPLOYED = "unemployed", _("失业")
    STUDENT = "student", _("在校学生")
    PRESCHOOL = "preschool", _("学龄前")
    RETIRED = "retired", _("离退休")
    UNABLE = "unable", _("丧失劳动能力")
    UNKNOWN = "", _("未填")


class Politics(models.TextChoices):
    PARTY = "party", _("中共党员")
    PROBATIONARY = "probationary", _("预备党员")
    LEAGUE = "league", _("共青团员")
    OTHER_PARTY = "other_party", _("民主党派")
    MASSES = "masses", _("群众")


class ResidentStatus(models.TextChoices):
    # Lives in a household of the registry.
    ACTIVE = "active", _("在册")
    # Moved out of the county; kept for history.
    MOVED_OUT = "moved_out", _("已迁出")
    # Died; kept for history.
    DECEASED = "deceased", _("已死亡")


class TransferState(models.TextChoices):
    # Waiting for the holder's community.
    PENDING = "pending", _("待核实")
    # The holder's community agreed: the resident moved into the requested household.
    ACCEPTED = "accepted", _("已同意迁入")
    # The holder's community refused: nothing changed.
    DECLINED = "declined", _("未同意")


class MoveReason(models.TextChoices):
    BORN = "born", _("出生")
    MOVED_IN = "moved_in", _("迁入")
    TRANSFERRED = "transferred", _("户内调整")
    MOVED_OUT = "moved_out", _("迁出")
    DIED = "died", _("死亡")
    IMPORTED = "imported", _("台账导入")


class RevealField(models.TextChoices):
    # The 18-digit ID number.
    ID_NUMBER = "id_number", _("身份证号")
    # The phone number.
    PHONE = "phone", _("联系电话")
