"""The OpenSLO export: every object valid against the OpenSLO v1 specification (openslo_v1_schema.json, written
from it, plus the rules across objects), the demo agreement's actual targets and names, the download, the CLI,
and terms.json naming the same SLOs."""
from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from jsonschema import Draft202012Validator
from sqlalchemy import select

from authoring import create_app
from authoring.demo import DEMO_PASSWORD, DEMO_TITLE_ES, DEMO_TITLE_EXECUTED, DEMO_TITLES, create_demo
from authoring.demo_terms import demo_terms
from authoring.document import Document
from authoring.export.openslo import EVERY, level_names, openslo_yaml
from authoring.export.records import ExportInfo
from authoring.export.terms import terms_file
from authoring.export.terms_import import TermsFileInvalid, read_terms_file
from authoring.extensions import db
from authoring.models import Agreement, Revision

SCHEMA = json.loads((Path(__file__).parent / "openslo_v1_schema.json").read_text(encoding="utf-8"))
CREATED = datetime(2027, 3, 9, 10, 0, 0)


def openslo_problems(objects: list[dict]) -> list[str]:
    """Every way `objects` break OpenSLO v1: each against the schema, then what ties them together."""
    validator = Draft202012Validator(SCHEMA)
    problems = [f"{o.get('kind')} {o.get('metadata', {}).get('name')} /{'/'.join(map(str, e.absolute_path))}: "
                f"{e.message}" for o in objects for e in validator.iter_errors(o)]
    if problems:
        return problems
    named: dict[str, dict[str, dict]] = {}
    for o in objects:
        if o["metadata"]["name"] in named.setdefault(o["kind"], {}):
            problems.append(f"two {o['kind']} objects named {o['metadata']['name']}")
        named[o["kind"]][o["metadata"]["name"]] = o
    for slo in named.get("SLO", {}).values():
        spec, name = slo["spec"], slo["metadata"]["name"]
        if spec["service"] not in named.get("Service", {}):
            problems.append(f"{name}: no Service {spec['service']}")
        sli = named.get("SLI", {}).get(spec.get("indicatorRef"), {}).get("spec") or spec.get("indicator", {}).get("spec")
        if sli is None:
            problems.append(f"{name}: no SLI {spec.get('indicatorRef')}")
        elif "ratioMetric" in sli and any("op" in o or "value" in o for o in spec["objectives"]):
            problems.append(f"{name}: op and value are for a threshold metric only")
        elif "thresholdMetric" in sli and (len(spec["objectives"]) != 1 or "op" not in spec["objectives"][0]):
            problems.append(f"{name}: a threshold metric takes one objective with op and value")
        for window in spec.get("timeWindow", []):
            calendar = window.get("calendar")
            if calendar:
                try:
                    ZoneInfo(calendar["timeZone"])
                    datetime.strptime(calendar["startTime"], "%Y-%m-%d %H:%M:%S")
                except (ValueError, KeyError) as error:
                    problems.append(f"{name}: {error}")
    return problems


def documents(data: bytes) -> list[dict]:
    """The YAML stream as the objects it holds; every one opened by `---`, as a multi-document file should."""
    text = data.decode("utf-8")
    objects = list(yaml.safe_load_all(text))
    assert text.count("\n---\n") + text.startswith("---\n") == len(objects)
    return objects


def by_name(objects: list[dict]) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == "SLO"}


# Pure: terms in, objects out ---------------------------------------------------------------

@pytest.fixture(scope="module")
def pure():
    """An app for gettext (no database is touched)."""
    return create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})


def info(language: str = "en", agreement_id: int = 12) -> ExportInfo:
    return ExportInfo(agreement_id=agreement_id, title="Managed IT", language=language, status="executed",
                      provider_name="Northwind", client_name="Globex", revision_number=3, revision_hash="ab" * 32,
                      revision_created_at=CREATED)


def export(pure, terms: dict, language: str = "en", agreement_id: int = 12) -> list[dict]:
    with pure.app_context():
        data = openslo_yaml(Document(terms=terms), info(language, agreement_id))
    objects = documents(data)
    assert openslo_problems(objects) == []
    return objects


def test_the_schema_is_draft_2020_12_and_refuses_what_the_specification_forbids(pure):
    Draft202012Validator.check_schema(SCHEMA)
    good = export(pure, demo_terms("en", "Managed IT"))
    slo = next(o for o in good if o["kind"] == "SLO" and o["spec"]["budgetingMethod"] == "Occurrences")
    availability = next(o for o in good if o["kind"] == "SLO" and o["spec"]["budgetingMethod"] == "RatioTimeslices")
    sli = next(o for o in good if o["kind"] == "SLI")
    broken = {
        "target of 1": (slo, lambda o: o["spec"]["objectives"][0].update(target=1.0)),
        "target and targetPercent": (slo, lambda o: o["spec"]["objectives"][0].update(targetPercent=95)),
        "unknown budgeting method": (slo, lambda o: o["spec"].update(budgetingMethod="Calendar")),
        "upper-case name": (slo, lambda o: o["metadata"].update(name="Agreement-12-P1")),
        "name of 64": (slo, lambda o: o["metadata"].update(name="a" * 64)),
        "name ending in a hyphen": (slo, lambda o: o["metadata"].update(name="agreement-12-")),
        "display name of 64": (slo, lambda o: o["metadata"].update(displayName="x" * 64)),
        "calendar window without calendar": (slo, lambda o: o["spec"]["timeWindow"][0].pop("calendar")),
        "rolling window with calendar": (slo, lambda o: o["spec"]["timeWindow"][0].update(isRolling=True)),
        "two windows": (slo, lambda o: o["spec"]["timeWindow"].append(o["spec"]["timeWindow"][0])),
        "duration in words": (slo, lambda o: o["spec"]["timeWindow"][0].update(duration="1 month")),
        "start time with a zone": (slo, lambda o: o["spec"]["timeWindow"][0]["calendar"].update(
            startTime="2027-01-01T00:00:00Z")),
        "no service": (slo, lambda o: o["spec"].pop("service")),
        "no indicator": (slo, lambda o: o["spec"].pop("indicatorRef")),
        "no objectives": (slo, lambda o: o["spec"].update(objectives=[])),
        "ratio timeslices without a slice": (availability, lambda o: o["spec"]["objectives"][0].pop("timeSliceWindow")),
        "timeslices without a slice target": (availability, lambda o: o["spec"].update(budgetingMethod="Timeslices")),
        "description over 1050": (slo, lambda o: o["spec"].update(description="x" * 1051)),
        "wrong api version": (slo, lambda o: o.update(apiVersion="openslo/v1alpha")),
        "good and bad": (sli, lambda o: o["spec"]["ratioMetric"].update(bad=o["spec"]["ratioMetric"]["good"])),
        "no total": (sli, lambda o: o["spec"]["ratioMetric"].pop("total")),
        "metric source with an empty spec": (sli, lambda o: o["spec"]["ratioMetric"]["good"]["metricSource"].update(
            spec={})),
        "metric source with neither type nor reference": (sli, lambda o: o["spec"]["ratioMetric"]["good"][
            "metricSource"].pop("type")),
        "threshold and ratio": (sli, lambda o: o["spec"].update(thresholdMetric=o["spec"]["ratioMetric"]["good"])),
    }
    for reason, (original, change) in broken.items():
        mutated = copy.deepcopy(original)
        change(mutated)
        assert openslo_problems([mutated]), reason


def test_the_rules_across_objects_are_checked(pure):
    objects = export(pure, demo_terms("en", "Managed IT"))
    without_slis = [o for o in objects if o["kind"] != "SLI"]
    assert any("no SLI" in p for p in openslo_problems(without_slis))
    without_service = [o for o in objects if o["kind"] != "Service"]
    assert any("no Service" in p for p in openslo_problems(without_service))
    assert any("two SLO" in p for p in openslo_problems(objects + [by_name(objects)["agreement-12-p1-response"]]))
    zoned = copy.deepcopy(objects)
    by_name(zoned)["agreement-12-availability"]["spec"]["timeWindow"][0]["calendar"]["timeZone"] = "Europe/Gdansk"
    assert openslo_problems(zoned)


def test_every_service_level_of_the_demo_terms_with_its_target_window_and_method(pure):
    objects = export(pure, demo_terms("en", "Managed IT"))
    assert [o["kind"] for o in objects] == ["Service"] + ["SLI", "SLO"] * 9
    assert objects[0]["metadata"]["name"] == "agreement-12"
    slos = by_name(objects)
    assert list(slos) == ["agreement-12-availability"] + [f"agreement-12-p{n}-{measure}" for n in (1, 2, 3, 4)
                                                          for measure in ("response", "resolution")]
    availability = slos["agreement-12-availability"]["spec"]
    assert availability["budgetingMethod"] == "RatioTimeslices"
    assert availability["objectives"] == [{"target": 0.995, "timeSliceWindow": "1m"}]
    # The demo's credits: P1 and P2 below 95 %, P3 below 90 %, P4 reported without credit.
    targets = {name: slo["spec"]["objectives"] for name, slo in slos.items()}
    assert targets["agreement-12-p1-response"] == targets["agreement-12-p1-resolution"] == [{"target": 0.95}]
    assert targets["agreement-12-p2-response"] == [{"target": 0.95}]
    assert targets["agreement-12-p3-resolution"] == [{"target": 0.9}]
    assert targets["agreement-12-p4-response"] == targets["agreement-12-p4-resolution"] == [{"target": EVERY}]
    assert slos["agreement-12-p4-response"]["metadata"]["annotations"]["accord/target-basis"] == "every-incident"
    assert slos["agreement-12-p1-response"]["metadata"]["annotations"]["accord/target-basis"] == "credit-threshold"
    for name, slo in slos.items():
        spec = slo["spec"]
        assert spec["service"] == "agreement-12" and spec["indicatorRef"] == f"{name}-sli"
        assert spec["timeWindow"] == [{"duration": "1M", "isRolling": False,
                                       "calendar": {"startTime": "2027-01-01 00:00:00", "timeZone": "Europe/Warsaw"}}]
        if name != "agreement-12-availability":
            assert spec["budgetingMethod"] == "Occurrences"
    p1 = slos["agreement-12-p1-response"]
    assert p1["metadata"]["displayName"] == "P1 response time: 0.5 hours"
    assert p1["metadata"]["labels"] == {"agreement": "12", "measure": "response", "priority": "P1"}
    assert p1["metadata"]["annotations"]["accord/term"] == "services.priorities[0].response_hours"
    assert "within 0.5 hours" in p1["spec"]["description"] and "credit of 5%" in p1["spec"]["description"]
    sli = next(o for o in objects if o["metadata"]["name"] == "agreement-12-p1-response-sli")
    assert sli["spec"]["ratioMetric"] == {
        "counter": True,
        "good": {"metricSource": {"type": "accord-incidents", "spec": {
            "agreement": "12", "priority": "P1", "measure": "response", "withinHours": "0.5", "count": "met"}}},
        "total": {"metricSource": {"type": "accord-incidents", "spec": {
            "agreement": "12", "priority": "P1", "count": "all"}}},
    }
    resolution = next(o for o in objects if o["metadata"]["name"] == "agreement-12-p4-resolution-sli")
    assert resolution["spec"]["ratioMetric"]["good"]["metricSource"]["spec"]["withinHours"] == "80"


def test_the_start_time_stays_a_string_for_yaml_1_1_readers(pure):
    with pure.app_context():
        text = openslo_yaml(Document(terms=demo_terms("en", "Managed IT")), info()).decode("utf-8")
    assert "startTime: '2027-01-01 00:00:00'" in text  # unquoted, YAML 1.1 reads a timestamp
    assert text.startswith("# OpenSLO v1 (openslo/v1): the service levels of agreement 12, revision 3")


def test_a_quarter_starts_with_the_quarter_the_agreement_takes_effect_in(pure):
    terms = demo_terms("en", "Managed IT")
    terms["services"]["measurement_window"] = "quarterly"
    terms["timeline"]["effective_date"] = "2027-05-17"
    terms["services"]["time_zone"] = "America/New_York"
    slo = by_name(export(pure, terms))["agreement-12-p1-response"]
    assert slo["spec"]["timeWindow"] == [{"duration": "1Q", "isRolling": False, "calendar": {
        "startTime": "2027-04-01 00:00:00", "timeZone": "America/New_York"}}]
    assert slo["spec"]["description"].endswith("Measured per calendar quarter in the America/New_York time zone.")


def test_a_month_without_effective_date_or_known_zone_starts_with_the_revision_in_utc(pure):
    terms = demo_terms("en", "Managed IT")
    terms["timeline"]["effective_date"] = ""
    terms["services"]["measurement_window"] = ""
    terms["services"]["time_zone"] = "Mars/Olympus"
    window = by_name(export(pure, terms))["agreement-12-availability"]["spec"]["timeWindow"]
    assert window == [{"duration": "1M", "isRolling": False,
                       "calendar": {"startTime": "2027-03-01 00:00:00", "timeZone": "UTC"}}]


def test_targets_of_100_percent_become_the_highest_target_openslo_admits(pure):
    terms = demo_terms("en", "Managed IT")
    terms["services"]["availability_percent"] = "100"
    terms["sanctions"]["credits"][0]["threshold_percent"] = "100"  # P1: a credit whenever one incident misses
    terms["sanctions"]["credits"][1]["threshold_percent"] = "97.5"
    del terms["sanctions"]["credits"][2]  # P3: no row at all
    slos = by_name(export(pure, terms))
    assert slos["agreement-12-availability"]["spec"]["objectives"][0]["target"] == EVERY
    assert slos["agreement-12-p1-response"]["spec"]["objectives"] == [{"target": EVERY}]
    assert slos["agreement-12-p2-resolution"]["spec"]["objectives"] == [{"target": 0.975}]
    assert slos["agreement-12-p3-response"]["spec"]["objectives"] == [{"target": EVERY}]


def test_names_are_dns_labels_whatever_the_levels_are_called(pure):
    terms = demo_terms("en", "Managed IT")
    terms["services"]["priorities"] = [
        {"level": "Priority 1 (Crítica)", "definition": "", "response_hours": "1", "resolution_hours": "4"},
        {"level": "Критический", "definition": "", "response_hours": "2", "resolution_hours": ""},
        {"level": "priority-1  crítica!", "definition": "", "response_hours": "3", "resolution_hours": "9"},
        {"level": "", "definition": "unnamed", "response_hours": "1", "resolution_hours": "2"},
        {"level": "L" * 90, "definition": "", "response_hours": "8", "resolution_hours": "0"},
    ]
    names = level_names(987654321, terms)
    assert [(p.response, p.resolution) for p in names.priorities] == [
        ("agreement-987654321-priority-1-critica-response", "agreement-987654321-priority-1-critica-resolution"),
        ("agreement-987654321-priority-2-response", None),  # Cyrillic has no ASCII letters; no resolution time
        ("agreement-987654321-priority-3-response", "agreement-987654321-priority-3-resolution"),  # taken
        (None, None),  # an incident names its priority: a row without one cannot be measured
        ("agreement-987654321-" + "l" * 28 + "-response", None),  # cut to fit; zero hours states nothing
    ]
    objects = export(pure, terms, agreement_id=987654321)  # valid: every name and SLI name within 63
    assert len(by_name(objects)) == 1 + 6
    long_level = by_name(objects)["agreement-987654321-" + "l" * 28 + "-response"]
    assert len(long_level["metadata"]["displayName"]) == 63 and long_level["metadata"]["displayName"].endswith("…")
    assert long_level["metadata"]["labels"]["priority"] == "L" * 90


def test_an_unanswered_interview_exports_the_service_alone(pure):
    objects = export(pure, {})
    assert [o["kind"] for o in objects] == ["Service"]
    assert level_names(12, {}).availability is None and level_names(12, {}).priorities == ()


@pytest.mark.parametrize("language, display, description", [
    ("es", "P1: tiempo de respuesta de 0,5 horas", "0,5 horas"),
    ("pl", "P1 – czas reakcji: 0,5 godziny", "0,5 godziny"),
    ("he", "P1 – זמן תגובה: 0.5 שעה", "0.5 שעה"),
    ("ru", "P1 — время реагирования: 0,5 часа", "0,5 часа"),
    ("tl", "P1 — oras ng pagtugon: 0.5 oras", "0.5 oras"),
])
def test_texts_are_in_the_agreements_language(pure, language, display, description):
    objects = export(pure, demo_terms(language, "Managed IT"), language)
    p1 = by_name(objects)["agreement-12-p1-response"]
    assert p1["metadata"]["displayName"] == display
    assert description in p1["spec"]["description"] and "Each incident" not in p1["spec"]["description"]


def test_terms_json_names_the_slos_of_the_yaml(pure):
    terms = demo_terms("en", "Managed IT")
    terms["services"]["priorities"].insert(1, "not a row")  # the view leaves it out; the names stay paired
    document = Document(terms=terms)
    with pure.app_context():
        objects = documents(openslo_yaml(document, info()))
    data = terms_file(document, info())
    levels = data["services"]["service_levels"]
    assert levels["availability_slo"] == "agreement-12-availability"
    assert [(row["level"], row["slo"]) for row in levels["priorities"]] == [
        (f"P{n}", {"response": f"agreement-12-p{n}-response", "resolution": f"agreement-12-p{n}-resolution"})
        for n in (1, 2, 3, 4)]
    named = {levels["availability_slo"]} | {name for row in levels["priorities"] for name in row["slo"].values()}
    assert named == set(by_name(objects))


# Reading terms files that name SLOs --------------------------------------------------------

def test_a_terms_file_with_slo_names_reads_back_and_an_edited_name_is_refused():
    terms = demo_terms("en", "Managed IT")
    document = Document(terms=terms)
    data = terms_file(document, info())
    assert read_terms_file(json.dumps(data).encode()).document == document
    edited = copy.deepcopy(data)
    edited["services"]["service_levels"]["priorities"][0]["slo"]["response"] = "agreement-99-p1-response"
    edited["services"]["service_levels"]["availability_slo"] = "agreement-99-availability"
    with pytest.raises(TermsFileInvalid) as caught:
        read_terms_file(json.dumps(edited).encode())
    assert sorted(path for path, _message in caught.value.errors) == [
        "/services/service_levels/availability_slo", "/services/service_levels/priorities/0/slo/response"]
    bad_name = copy.deepcopy(data)
    bad_name["services"]["service_levels"]["availability_slo"] = "Agreement 12"
    with pytest.raises(TermsFileInvalid):
        read_terms_file(json.dumps(bad_name).encode())


def test_a_terms_file_from_before_the_openslo_export_still_reads():
    data = terms_file(Document(terms=demo_terms("en", "Managed IT")), info())
    del data["services"]["service_levels"]["availability_slo"]
    for row in data["services"]["service_levels"]["priorities"]:
        del row["slo"]
    assert read_terms_file(json.dumps(data).encode()).document.terms == demo_terms("en", "Managed IT")
    elsewhere = terms_file(Document(terms=demo_terms("en", "Managed IT")), info())
    elsewhere["agreement"]["id"] = None  # written by another tool: its names are its own
    elsewhere["services"]["service_levels"]["availability_slo"] = "uptime"
    assert read_terms_file(json.dumps(elsewhere).encode()).source_agreement_id is None


# Stored agreements: download, access, CLI --------------------------------------------------

@pytest.fixture
def demo(app):
    """The demo data; returns {title: agreement id}."""
    with app.app_context():
        assert create_demo()
        return {a.title: a.id for a in db.session.scalars(select(Agreement))}


def newest_revision(app, agreement_id: int) -> int:
    with app.app_context():
        return max(db.session.scalars(select(Revision.number).where(Revision.agreement_id == agreement_id)))


def test_the_demo_agreement_downloads_valid_openslo_that_terms_json_names(app, demo, login, make_user):
    agreement = demo[DEMO_TITLE_EXECUTED]
    number = newest_revision(app, agreement)
    member = login(app.test_client(), "client@example.com", DEMO_PASSWORD)
    response = member.get(f"/agreements/{agreement}/revisions/{number}/openslo.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert f"-r{number}-openslo.yaml" in response.headers["Content-Disposition"]
    objects = documents(response.get_data())
    assert openslo_problems(objects) == []
    slos = by_name(objects)
    # The executed demo was amended to 99.7 % availability; P1 still answers in half an hour, 95 % of incidents.
    assert slos[f"agreement-{agreement}-availability"]["spec"]["objectives"][0]["target"] == 0.997
    p1 = slos[f"agreement-{agreement}-p1-response"]
    assert p1["spec"]["objectives"] == [{"target": 0.95}]
    sli = next(o for o in objects if o["metadata"]["name"] == f"agreement-{agreement}-p1-response-sli")
    assert sli["spec"]["ratioMetric"]["good"]["metricSource"]["spec"]["withinHours"] == "0.5"
    with app.app_context():
        effective = db.session.get(Agreement, agreement).effective_on
    assert p1["spec"]["timeWindow"][0]["calendar"] == {"startTime": f"{effective:%Y-%m}-01 00:00:00",
                                                        "timeZone": "Europe/Warsaw"}
    # terms.json of the same revision names exactly these SLOs.
    terms = member.get(f"/agreements/{agreement}/revisions/{number}/terms.json").get_json()
    levels = terms["services"]["service_levels"]
    named = {levels["availability_slo"]} | {name for row in levels["priorities"] for name in row["slo"].values()}
    assert named == set(slos)
    assert {row["level"]: row["slo"]["response"] for row in levels["priorities"]}["P1"] == p1["metadata"]["name"]
    # Names stay put from revision to revision; the annotations say which revision this is.
    first = documents(member.get(f"/agreements/{agreement}/revisions/1/openslo.yaml").get_data())
    assert set(by_name(first)) == set(slos)
    assert p1["metadata"]["annotations"]["accord/revision"] == str(number)
    # The sign & export page offers it; a stranger learns nothing.
    assert f"/agreements/{agreement}/revisions/{number}/openslo.yaml" in member.get(
        f"/agreements/{agreement}/sign").get_data(as_text=True)
    assert f"/agreements/{agreement}/revisions/{number}/openslo.yaml" in member.get(
        f"/agreements/{agreement}/reviews").get_data(as_text=True)
    make_user("outsider@example.com")
    outsider = login(app.test_client(), "outsider@example.com")
    assert outsider.get(f"/agreements/{agreement}/revisions/{number}/openslo.yaml").status_code == 404
    assert member.get(f"/agreements/{agreement}/revisions/99/openslo.yaml").status_code == 404
    anonymous = app.test_client().get(f"/agreements/{agreement}/revisions/1/openslo.yaml")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_a_hebrew_and_a_spanish_agreement_read_in_their_language(app, demo, login):
    member = login(app.test_client(), "provider@example.com", DEMO_PASSWORD)
    for title, expected in ((DEMO_TITLES["he"], "P1 – זמן תגובה: 0.5 שעה"),
                            (DEMO_TITLE_ES, "P1: tiempo de respuesta de 0,5 horas")):
        agreement = demo[title]
        data = member.get(f"/agreements/{agreement}/revisions/1/openslo.yaml").get_data()
        slos = by_name(documents(data))
        assert slos[f"agreement-{agreement}-p1-response"]["metadata"]["displayName"] == expected


def test_the_cli_writes_the_download_and_refuses_what_does_not_exist(app, demo, login, runner, tmp_path):
    agreement = demo[DEMO_TITLE_EXECUTED]
    member = login(app.test_client(), "provider@example.com", DEMO_PASSWORD)
    output = tmp_path / "slo.yaml"
    result = runner.invoke(args=["export", "openslo", "--agreement", str(agreement), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.output
    number = newest_revision(app, agreement)
    assert output.read_bytes() == member.get(f"/agreements/{agreement}/revisions/{number}/openslo.yaml").get_data()
    assert openslo_problems(documents(output.read_bytes())) == []
    first = tmp_path / "r1.yaml"
    assert runner.invoke(args=["export", "openslo", "--agreement", str(agreement), "--revision", "1",
                               "-o", str(first)]).exit_code == 0
    assert first.read_bytes() == member.get(f"/agreements/{agreement}/revisions/1/openslo.yaml").get_data()
    missing = runner.invoke(args=["export", "openslo", "--agreement", str(agreement), "--revision", "9",
                                  "-o", str(tmp_path / "x")])
    assert missing.exit_code != 0 and "Revision 9 does not exist" in missing.output
    assert not (tmp_path / "x").exists()
    nobody = runner.invoke(args=["export", "openslo", "--agreement", "999999", "-o", str(tmp_path / "y")])
    assert nobody.exit_code != 0 and "There is no agreement 999999" in nobody.output
