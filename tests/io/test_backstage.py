"""Backstage catalogs: Backstage's own example entities, every mapping rule, and bad input located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.io._sources import NO_JOURNEYS
from cxgraph.io.backstage import parse_ref, read_catalog
from tests.strategies import json_values


@pytest.fixture
def catalog(data_dir: Path) -> tuple[cx.Model, cx.io.ImportLog]:
    return cx.io.read_backstage(data_dir / "backstage")


def test_locations_are_followed_and_every_file_read_once(data_dir: Path) -> None:
    read = read_catalog(data_dir / "backstage")
    names = [Path(f).relative_to(data_dir / "backstage").as_posix() for f in read.files]
    assert names[:5] == ["catalog-info.yaml", "all-systems.yaml", "all-domains.yaml", "all-resources.yaml",
                         "acme/team-a-group.yaml"]
    assert len(names) == 25 == len(set(names))  # 3 locations + 21 entity files + the entry point
    assert read.notes == []


def test_entities_become_elements_and_capabilities(catalog: tuple[cx.Model, cx.io.ImportLog]) -> None:
    model, _ = catalog
    kinds = {e.id: e.kind for e in model.elements}
    assert kinds == {
        "team-a": "team", "spotify": "service", "api-wayback-archive": "service", "api-wayback-search": "service",
        "artist-lookup": "system", "playback-order": "system", "podcast-api": "system", "queue-proxy": "system",
        "shuffle-api": "system", "component-wayback-archive": "system", "wayback-archive-ingestion": "system",
        "wayback-archive-storage": "system", "component-wayback-search": "system", "www-artist": "system",
        "artists-db": "data", "team-b": "team", "team-d": "team",
    }
    lookup = model.get("artist-lookup")
    assert (lookup.name, lookup.description, lookup.tags) == ("artist-lookup", "Artist Lookup", ["java", "data"])
    assert lookup.properties == {"backstage:ref": "component:default/artist-lookup", "backstage:type": "service",
                                 "backstage:lifecycle": "experimental"}
    caps = {c.id: (c.name, c.parent, c.realized_by) for c in model.capabilities}
    assert caps == {
        "artist-engagement-portal": ("Artist Engagement Portal", "artists", ["artist-lookup", "www-artist",
                                                                             "artists-db"]),
        "audio-playback": ("audio-playback", "playback", ["playback-order", "shuffle-api"]),
        "podcast": ("podcast", "playback", ["podcast-api", "queue-proxy"]),
        "audio": ("audio", None, []), "artists": ("Artists", None, []), "playback": ("playback", None, []),
    }


def test_dependencies_run_consumer_api_provider(catalog: tuple[cx.Model, cx.io.ImportLog]) -> None:
    model, _ = catalog
    deps = {e.id: [d.element for d in e.depends_on] for e in model.elements if e.depends_on}
    assert deps == {
        "component-wayback-search": ["api-wayback-archive"],      # consumesApis
        "api-wayback-archive": ["component-wayback-archive"],     # providesApis: the API rests on its provider
        "api-wayback-search": ["component-wayback-search"],
        "artist-lookup": ["artists-db"],                          # dependsOn resource:artists-db
        "www-artist": ["artist-lookup"],                          # consumesApis naming a component
        "component-wayback-archive": ["wayback-archive-ingestion", "wayback-archive-storage"],  # subcomponentOf
    }


def test_owners_groups_users_and_missing_groups(catalog: tuple[cx.Model, cx.io.ImportLog]) -> None:
    model, report = catalog
    owners = {e.id: e.owner for e in model.elements if e.owner}
    assert owners["playback-order"] == "team-a"  # owner user:guest, member of team-a
    assert owners["podcast-api"] == "team-b"     # group not in the catalog: a team is added for it
    assert owners["wayback-archive-ingestion"] == "team-d"
    assert report.notes == ("owner 'group:default/team-b' is not in the catalog: added as the team 'team-b'",
                            "owner 'group:default/team-d' is not in the catalog: added as the team 'team-d'",
                            NO_JOURNEYS)
    outcome = {r.id: r.outcome for r in report.relationships}
    assert outcome["component:default/playback-order.owner"] == "owner (the user's group)"
    assert outcome["system:default/podcast.owner"] == "capabilities have no owner in cxgraph (kept as backstage:owner)"
    assert model.get("podcast").properties["backstage:owner"] == "user:default/team-b"


def test_every_entity_and_relation_is_accounted_for(catalog: tuple[cx.Model, cx.io.ImportLog]) -> None:
    _, report = catalog
    assert report.counts() == {"elements_read": 30, "elements_mapped": 21, "elements_kept": 9,
                               "relationships_read": 43, "relationships_mapped": 31, "relationships_kept": 12}
    kept = {(e.type, e.outcome) for e in report.kept_elements}
    assert kept == {("User", "a person: owners that are users become their group"),
                    ("Location", "a location: its targets were read")}
    rel = next(r for r in report.relationships if r.id == "component:default/artist-lookup.dependsOn[0]")
    assert (rel.source, rel.target, rel.line, rel.item) == ("component:default/artist-lookup",
                                                            "resource:default/artists-db", 39, "artist-lookup")


@pytest.mark.parametrize(("text", "kind", "ref"), [
    ("team-a", "group", "group:default/team-a"), ("user:guest", "group", "user:default/guest"),
    ("group:ops/sre", "group", "group:ops/sre"), ("Component:Web", "api", "component:default/web"),
])
def test_entity_references(text: str, kind: str, ref: str) -> None:
    assert parse_ref(text, kind) == ref


def test_same_name_in_two_kinds_and_namespaces(tmp_path: Path) -> None:
    (tmp_path / "catalog-info.yaml").write_text(
        "kind: Component\nmetadata: {name: orders}\nspec: {dependsOn: ['resource:orders', 'resource:ops/db']}\n---\n"
        "kind: Resource\nmetadata: {name: orders}\nspec: {type: s3-bucket}\n---\n"
        "kind: Resource\nmetadata: {name: db, namespace: ops}\n"
        "spec: {type: cluster, dependencyOf: ['component:default/orders']}\n"
        "---\nkind: Template\nmetadata: {name: new-service}\n---\n"
        "kind: Component\nmetadata: {name: orders}\n")
    model, report = cx.io.read_backstage(tmp_path)
    assert [(e.id, e.kind, [d.element for d in e.depends_on]) for e in model.elements] == [
        ("component-orders", "system", ["resource-orders", "ops.db"]), ("resource-orders", "data", []),
        ("ops.db", "infrastructure", [])]
    assert [(e.type, e.outcome) for e in report.kept_elements] == [
        ("Template", "kind Template: no counterpart in cxgraph"),
        ("Component", f"defined again (first at {tmp_path / 'catalog-info.yaml'}:1)")]
    assert report.kept_relationships[0].outcome == "the same dependency again"  # dependencyOf repeats dependsOn


def test_remote_and_missing_location_targets_are_listed(tmp_path: Path) -> None:
    (tmp_path / "catalog-info.yaml").write_text(
        "kind: Location\nmetadata: {name: x}\nspec:\n  targets:\n    - https://example.com/catalog.yaml\n"
        "    - ./missing.yaml\n")
    _, report = cx.io.read_backstage(tmp_path / "catalog-info.yaml")
    assert [n.split(": ", 1)[1] for n in report.notes[:-1]] == [
        "location target 'https://example.com/catalog.yaml' is not a local file: not read",
        "location target './missing.yaml' not found: not read"]
    assert report.notes[0].startswith(f"{tmp_path / 'catalog-info.yaml'}:5")


def test_bad_input_is_located(tmp_path: Path) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text("kind: Component\nmetadata: {name: a}\n---\n- a list\n---\nkind: API\nmetadata: {title: x}\n"
                    "---\nmetadata: {name: y}\n---\nkind: Component\nmetadata: {name: b}\nspec: {dependsOn: ['']}\n")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_backstage(path)
    assert [(p.line, p.path, p.message) for p in err.value.problems] == [
        (4, "", "expected an entity (apiVersion, kind, metadata, spec)"),
        (7, "metadata.name", "the API has no metadata.name"),
        (9, "kind", "missing kind (Component, API, Resource, System, Domain, Group, ...)"),
    ]
    path.write_text("kind: Component\nmetadata: {name: b}\nspec: {dependsOn: ['']}\n")
    with pytest.raises(cx.ModelError, match=r"catalog-info.yaml:3: spec.dependsOn: an empty entity reference"):
        cx.io.read_backstage(path)
    path.write_text("kind: Component\nmetadata: {name: [a\n")
    with pytest.raises(cx.ModelError, match=r"catalog-info.yaml:3:1: \(document\): malformed YAML"):
        cx.io.read_backstage(path)
    with pytest.raises(FileNotFoundError):
        cx.io.read_backstage(tmp_path / "nowhere.yaml")


def test_subdomains_and_owners_that_cannot_own(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "kind: Domain\nmetadata: {name: retail}\n---\n"
        "kind: Domain\nmetadata: {name: cards}\nspec: {subdomainOf: retail}\n---\n"
        "kind: System\nmetadata: {name: issuing}\nspec: {domain: cards}\n---\n"
        "kind: Component\nmetadata: {name: a}\nspec: {owner: 'component:b', system: issuing}\n---\n"
        "kind: Component\nmetadata: {name: b}\nspec: {owner: 'user:nobody', system: nowhere}\n---\n"
        "kind: User\nmetadata: {name: solo}\n---\n"
        "kind: Resource\nmetadata: {name: q}\nspec: {type: queue, owner: 'user:solo', system: 'component:a'}\n")
    model, report = cx.io.read_backstage(tmp_path / "c.yaml")
    assert [(c.id, c.parent, c.realized_by) for c in model.capabilities] == [
        ("retail", None, []), ("cards", "retail", []), ("issuing", "cards", ["a"])]
    assert [(e.id, e.kind, e.owner) for e in model.elements] == [
        ("a", "system", None), ("b", "system", None), ("q", "infrastructure", None)]
    assert [(r.id, r.outcome) for r in report.kept_relationships] == [
        ("component:default/a.owner", "the owner 'component:default/b' is a Component, not a group"),
        ("component:default/b.owner", "the owner 'user:default/nobody' is a user not in the catalog"),
        ("component:default/b.system", "not in the catalog"),
        ("resource:default/q.owner", "the owner 'user:default/solo' is a user with no group (memberOf)"),
        ("resource:default/q.system", "Component is not a system or domain"),
    ]


# ------------------------------------------------------------------------------------------ estates
def test_estate_reader_gives_the_model_readers_model(data_dir: Path,
                                                     catalog: tuple[cx.Model, cx.io.ImportLog]) -> None:
    estate, report = cx.io.read_backstage_estate(data_dir / "backstage")
    model, model_report = catalog
    assert estate.to_model() == model
    assert report == model_report
    assert estate.model.elements == [] and estate.model.capabilities == model.capabilities
    assert list(estate.elements["id"]) == [e.id for e in model.elements]
    assert list(zip(estate.links["source"], estate.links["target"], strict=True)) == [
        (e.id, d.element) for e in model.elements for d in e.depends_on]


def test_estate_reader_keeps_descriptions_tags_owners_and_properties(tmp_path: Path) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text("kind: Component\nmetadata: {name: web, title: Web shop, description: ' Sells. ', tags: [a, b]}\n"
                    "spec: {type: website, lifecycle: production, owner: user:ann, dependsOn: [resource:db]}\n---\n"
                    "kind: User\nmetadata: {name: ann}\nspec: {memberOf: [shop-team]}\n---\n"
                    "kind: Group\nmetadata: {name: shop-team}\n---\n"
                    "kind: Resource\nmetadata: {name: db}\nspec: {type: database, owner: shop-team}\n")
    estate, _ = cx.io.read_backstage_estate(path)
    [web] = estate.elements[estate.elements["id"] == "web"].to_dict(orient="records")
    assert (web["name"], web["kind"], web["owner"], web["description"], list(web["tags"])) == (
        "Web shop", "system", "shop-team", "Sells.", ["a", "b"])
    assert json.loads(web["properties"]) == {"backstage:ref": "component:default/web", "backstage:type": "website",
                                             "backstage:lifecycle": "production"}
    assert estate.elements.set_index("id").loc["db", "kind"] == "data"
    assert estate.to_model() == cx.io.read_backstage(path)[0]


def test_estate_reader_reports_what_the_model_reader_reports(tmp_path: Path) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text("kind: Component\nmetadata: {name: a b, title: [x]}\nspec: {system: my shop}\n---\n"
                    "kind: System\nmetadata: {name: my shop}\n")
    with pytest.raises(cx.ModelError) as ours:
        cx.io.read_backstage_estate(path)
    with pytest.raises(cx.ModelError) as theirs:
        cx.io.read_backstage(path)
    assert str(ours.value) == str(theirs.value)
    assert [(p.path, p.message) for p in ours.value.problems] == [
        ("capabilities[0].id", "invalid id 'my shop': use only letters, digits, '-', '_' and '.'"),
        ("elements[0].id", "invalid id 'a b': use only letters, digits, '-', '_' and '.'"),
        ("elements[0].name", "expected text, got a list")]


@settings(max_examples=60, deadline=None)
@given(json_values, json_values)
def test_estate_reader_reads_any_catalog_as_the_model_reader(tmp_path_factory: pytest.TempPathFactory, spec: Any,
                                                             metadata: Any) -> None:
    path = tmp_path_factory.mktemp("catalog") / "catalog-info.yaml"
    docs = [{"kind": kind, "metadata": metadata, "spec": spec} for kind in ("Component", "System", "Group")]
    path.write_text(yaml.safe_dump_all([*docs, {"kind": "API", "metadata": {"name": "a"}, "spec": spec}]))
    try:
        model, report = cx.io.read_backstage(path)
    except (cx.FormatError, cx.ModelError) as err:
        with pytest.raises(type(err)) as again:
            cx.io.read_backstage_estate(path)
        assert str(again.value) == str(err)
        return
    estate, estate_report = cx.io.read_backstage_estate(path)
    assert estate.to_model() == model
    assert estate_report == report
