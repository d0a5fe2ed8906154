"""Dispatch suggestion (issue 22): the text cleaning, the model, its files, the API and the desk.

One model is trained per session on the demo's catalogue, knowledge base and case texts
(`catalogue_data`, no database: the fresh demo's training set) and reused; the database tests
train small county models on a handful of closed cases.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from grassroots.cases import catalogue
from grassroots.cases import catalogue_data as cd
from grassroots.cases import services as case_services
from grassroots.cases.models import Case
from grassroots.cases.suggest import evaluation, model, service, store, training
from grassroots.cases.suggest.evalset import RESIDENT_TALK
from grassroots.cases.suggest.text import MAX_CHARS, scrub
from grassroots.core.scheduler.registry import registry as jobs
from tests.conftest import signed_in

PHONE = "13912345678"
ID = "110101199003071234"


@pytest.fixture(scope="session")
def demo_model() -> model.Model:
    """The fresh demo's model: its catalogue, knowledge base and case texts (each case text
    once, as the ten-odd closed cases it stands for merge into one example)."""
    seeds = evaluation.seeds_of_catalogue()
    cases = [
        model.Example(scrub(t), code, training.CASE_WEIGHT) for t, code in evaluation.demo_cases()
    ]
    examples = training.merge(training.seed_examples(seeds) + cases)
    return model.train(examples, words=training.catalogue_words(seeds))


_INITIALS = {m.code: catalogue.initials(m.name, *m.keywords) for m in cd.MATTERS}


def _catalogue_search(text: str) -> list[str]:
    """Today's keyword search (`selectors.matter_list(q=…)`) over `catalogue_data`."""
    t = text.strip().lower()
    return [
        m.code
        for m in cd.MATTERS
        if t in m.name or t in " ".join(m.keywords) or t in _INITIALS[m.code] or t == m.code.lower()
    ]


# —— text ——


def test_scrub_removes_phones_ids_and_registry_names() -> None:
    text = f"王建国来电{PHONE}，身份证{ID}，座机0358-1234567，反映路灯不亮"
    # when
    out = scrub(text, {"王建国"})
    # then
    for secret in ("王建国", PHONE, ID, "1234567"):
        assert secret not in out
    assert "路灯不亮" in out
    assert len(scrub("路" * 10_000)) == MAX_CHARS


# —— the model on the resident-talk set ——


def test_model_beats_the_keyword_vote_on_resident_talk(demo_model: model.Model) -> None:
    # when
    ours = evaluation.evaluate("model", lambda t: [g.matter for g in demo_model.suggest(t)])
    crude = evaluation.evaluate(
        "keyword vote", lambda t: evaluation.keyword_vote(t, _catalogue_search)
    )
    # then: the model is clearly better than the vote, and at the level measured (84 and 97
    # from the demo's texts without a database; the fresh demo's bench: docs/cases.md)
    assert len(RESIDENT_TALK) == 100
    assert ours.top1 >= 83 and ours.top3 >= 96, ours
    assert ours.top1 >= crude.top1 + 10 and ours.top3 > crude.top3, (ours, crude)


def test_the_evaluation_set_is_in_no_dictionary_and_no_training_text() -> None:
    """The resident-talk set is never tuned on: jieba's added words are the catalogue's own
    (names, keywords, article titles), no description is a training text or inside one, and
    the descriptions sharing a seven-character run with a training text are the six known
    everyday phrases (the bench scores the set without them too)."""
    # given
    seeds = evaluation.seeds_of_catalogue()
    catalogue_text = "\n".join(
        [s.name for s in seeds]
        + [k for s in seeds for k in s.keywords]
        + [title for s in seeds for title, _ in s.articles]
    )
    texts = evaluation.training_texts()
    # when
    words = training.catalogue_words(seeds)
    seen = {t for t, _ in RESIDENT_TALK} - {t for t, _ in evaluation.unseen()}
    # then
    assert all(w in catalogue_text for w in words)
    assert not [t for t, _ in RESIDENT_TALK if any(scrub(t) in x for x in texts)]
    assert not [t for t, _ in RESIDENT_TALK if any(scrub(t) == w for w in words)]
    assert len(seen) == 6, sorted(seen)
    assert "超市买的牛奶过期了还在卖" in seen


def test_cross_validation_is_what_the_settings_were_chosen_by() -> None:
    # when: the demo's case texts, each ranked by a model that did not see it
    score = evaluation.cross_validate()
    # then: 274 and 301 of 309 when the settings were chosen
    assert score.total == len(evaluation.demo_cases())
    assert score.top1 >= 0.85 * score.total and score.top3 >= 0.95 * score.total, score


def test_two_matters_make_a_model_with_a_score_each() -> None:
    # given: a county whose catalogue has two matters
    examples = [
        model.Example("路灯不亮", "M055"),
        model.Example("晚上路灯坏了", "M055"),
        model.Example("家里停水了", "M082"),
        model.Example("自来水没水", "M082"),
    ]
    # when
    trained = model.train(examples, words=["路灯", "停水"])
    found = trained.suggest("小区路灯不亮")
    # then
    assert [g.matter for g in found] == ["M055", "M082"]
    assert found[0].score > 0.5 and abs(sum(g.score for g in found) - 1) < 1e-6
    assert trained.coef.dtype.name == "float32"


def test_a_suggestion_says_which_words_drove_it(demo_model: model.Model) -> None:
    # when
    found = demo_model.suggest("来电人反映小区门口路灯不亮，晚上太黑")
    # then
    assert found[0].matter == "M055"
    assert 0 < found[0].score <= 1
    assert [g.score for g in found] == sorted((g.score for g in found), reverse=True)
    assert any("路灯" in w for w in found[0].why)
    assert len(found) == model.TOP


def test_single_characters_are_the_why_when_nothing_longer_drove_it() -> None:
    assert model._why(["黑", " ", "灯", "黑"]) == ["黑", "灯"]
    assert model._why(["路灯", "黑"]) == ["路灯"]


@pytest.mark.parametrize("text", ["", "灯", "   ", "😀😀", "!!"])
def test_too_little_text_suggests_nothing(demo_model: model.Model, text: str) -> None:
    assert demo_model.suggest(text) == []


# —— the county's model from its closed cases ——


def _closed(world: Any, code: str, description: str, **extra: Any) -> Case:
    case, _ = case_services.case_intake(
        actor=None,
        intake=case_services.Intake(
            matter=code,
            channel="hotline",
            description=description,
            area=world.grid3a.pk,
            answer="已答复",
            **extra,
        ),
    )
    assert case.state == "closed"
    return case


@pytest.fixture
def county(world: Any, catalogue: Any, registry: Any) -> dict[str, Case]:
    """A few closed cases of the test catalogue, one with personal data in its text, one whose
    desk guess (pensions) was corrected to the dispute matter on re-dispatch."""
    _closed(world, "M001", "小区门口的灯坏了，黑咕隆咚")
    _closed(world, "M002", "想给家里老人交养老保险")
    _closed(world, "M003", f"王建国说隔壁占了他家过道，电话{PHONE}，身份证{ID}")
    corrected = _closed(world, "M002", "两家人为院墙吵起来了")
    Case.objects.filter(pk=corrected.pk).update(matter=catalogue.dispute)  # the final matter
    return {"corrected": corrected}


def test_training_text_and_vocabulary_hold_no_personal_data(county: dict[str, Case]) -> None:
    # when
    names = training.registry_names()
    texts = [c.text for c in training.closed_cases(names)]
    trained = training.train_county()
    # then
    assert "王建国" in names
    vocabulary = trained.vocabulary()
    for secret in ("王建国", "建国", PHONE, ID, "1391234", "110101"):
        assert not any(secret in t for t in texts), secret
        assert not any(secret in v for v in vocabulary), secret
    assert trained.meta["cases"] == 4
    assert "trained_at" in trained.meta and "evaluation" in trained.meta


def test_the_final_matter_is_the_label(county: dict[str, Case]) -> None:
    cases = training.closed_cases(set())
    label = {c.text: c.matter for c in cases}
    assert label["两家人为院墙吵起来了"] == "M003"


def test_held_out_month_is_measured(county: dict[str, Case]) -> None:
    # given: the older cases registered two months ago
    old = timezone.now() - datetime.timedelta(days=60)
    Case.objects.exclude(pk=county["corrected"].pk).update(created_at=old)
    # when
    trained = training.train_county()
    # then: trained on three, measured on the newest
    ev = trained.meta["evaluation"]
    assert ev["held_out"] == 1
    assert ev["top1"] in (0.0, 100.0) and ev["top3"] in (0.0, 100.0)


# —— the files ——


def test_command_saves_a_version_and_rolls_back(county: dict[str, Case], capsys: Any) -> None:
    # given: no model yet
    assert store.load().model is None
    # when: trained twice
    call_command("train-suggest")
    first = store.load().name
    call_command("train-suggest")
    second = store.load()
    # then: the newest is current, the previous kept; a rollback makes it current again
    assert second.model is not None and second.name != first
    assert {p.name for p in store.folder().glob("model-*.joblib")} == {first, second.name}
    assert "closed cases" in capsys.readouterr().out
    call_command("train-suggest", "--rollback")
    assert store.load().name == first


def test_a_corrupt_model_falls_back_to_the_keyword_search(county: dict[str, Case]) -> None:
    # given: a model file that is not one
    call_command("train-suggest")
    (store.folder() / store.load().name).write_bytes(b"not a model")
    store.forget()
    # when
    found = service.suggest(actor=_user("hotline"), description="路灯不亮了")
    # then
    assert found.source == service.KEYWORDS
    assert "unreadable" in found.problem
    assert [s.matter.code for s in found.items][:1] == ["M001"]


def test_training_is_a_nightly_job() -> None:
    assert "train-suggest" in {j.name for j in jobs.jobs()}


# —— the API ——


def _user(name: str) -> Any:
    from grassroots.core.models import User

    return User.objects.get(username=name)


@pytest.fixture
def with_model(county: dict[str, Case]) -> None:
    call_command("train-suggest")


def test_api_answers_best_first_with_unit_and_why(api: Any, with_model: None, world: Any) -> None:
    client = api("hotline")
    # when
    resp = client.post(
        "/api/v1/cases/suggest/", {"description": "我家门口的灯坏了，黑咕隆咚的"}, format="json"
    )
    # then
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["source"] == "model"
    top = body["suggestions"][0]
    assert top["matter"] == "M001" and top["name"] == "路灯不亮"
    assert top["unit"] == {"id": world.civil.pk, "name": world.civil.name}
    assert 0 < top["score"] <= 1 and top["why"]
    assert len(body["suggestions"]) <= model.TOP


@pytest.mark.parametrize(
    ("description", "empty"),
    [("", True), ("灯", True), ("路灯" * 5000, False), ("street light broken 😀", None)],
)
def test_api_bad_input_is_no_error(
    api: Any, with_model: None, description: str, empty: Any
) -> None:
    resp = api("hotline").post(
        "/api/v1/cases/suggest/", {"description": description}, format="json"
    )
    assert resp.status_code == 200, resp.content
    if empty is not None:
        assert (resp.json()["suggestions"] == []) is empty


def test_api_area_out_of_scope_is_404_and_needs_the_right(api: Any, world: Any) -> None:
    # a township officer of 灵泉镇 asks about 罗村's grid
    resp = api("township").post(
        "/api/v1/cases/suggest/",
        {"description": "路灯不亮", "area": world.luocun_grid3.pk},
        format="json",
    )
    assert resp.status_code == 404
    resp = api("leader").post("/api/v1/cases/suggest/", {"description": "路灯不亮"}, format="json")
    assert resp.status_code == 403


# —— the desk ——


def test_desk_shows_three_suggestions_with_their_words(with_model: None) -> None:
    c = signed_in("hotline")
    resp = c.post("/cases/desk/suggest/", {"description": "我家门口的灯坏了，黑咕隆咚的"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.count("data-suggest=") == 3
    assert 'data-suggest="M001"' in html and "依据" in html


def test_desk_counts_a_suggestion_the_operator_ignored(with_model: None, world: Any) -> None:
    # given the desk showed suggestions, and the operator registered the call as another matter
    c = signed_in("hotline")
    panel = c.post("/cases/desk/suggest/", {"description": "门口的灯坏了"}).content.decode()
    assert 'name="suggested" value="M001,' in panel
    for matter in ("M001", "M003"):
        form = c.get("/cases/desk/").content.decode()
        idem = form.split('name="idem" value="')[1].split('"')[0]
        resp = c.post(
            "/cases/desk/",
            {
                "op": "save",
                "idem": idem,
                "matter": matter,
                "channel": "hotline",
                "description": "门口的灯坏了",
                "area": world.grid3a.pk,
                "suggested": "M001,M002,M003" if matter == "M001" else "M001,M002",
            },
        )
        assert resp.status_code == 302, resp.content.decode()[:2000]
    # then: one took the first suggestion, one ignored them
    since = timezone.now() - datetime.timedelta(days=1)
    assert service.ignored_counts(since=since) == {"shown": 2, "first": 1, "other": 0, "ignored": 1}
    # and the administrators' page shows the model and the counts
    page = signed_in("admin").get("/cases/suggest/")
    assert page.status_code == 200
    html = page.content.decode()
    assert store.load().name in html and "未采纳建议" in html
    assert signed_in("hotline").get("/cases/suggest/").status_code == 403


def test_status_page_says_when_the_keyword_search_answers(world: Any) -> None:
    html = signed_in("admin").get("/cases/suggest/").content.decode()
    assert "没有可用的模型" in html and "no model has been trained yet" in html
