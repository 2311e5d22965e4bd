"""Header names of the templates and imports, and the spellings accepted for choice columns.

The headers are SPEC section 7's contract with the bureau's spreadsheets: the same in every
interface language, so they are plain Chinese strings here, not translated messages.
"""

from django.utils import translation

from ..choices import Industry, Level, Pipeline, Sector, Stage

CODE = "项目编号"
NAME = "项目名称"
YEAR = "年"
MONTH = "月"
AMOUNT = "本月完成投资(万元)"
PROGRESS = "形象进度"
PROBLEMS = "存在问题"
UNIT = "责任单位"
LEADER = "联系县领导"
SECTOR = "行业领域"
INDUSTRY = "产业类别"
STAGE = "建设阶段"
LEVEL = "项目级别"
TOTAL_INVESTMENT = "总投资(万元)"
PLANNED_START = "计划开工日期"
CONTENT = "建设内容"
PIPELINE = "项目类别"
PLAN_AMOUNT = "年度计划投资(万元)"

# Read-only context in the monthly template (never read back).
CONTEXT_PLAN = "年度计划(万元)"
CONTEXT_PIPELINE = "项目类别(参考)"
CONTEXT_UNIT = "责任单位(参考)"


def context_cumulative(month: int) -> str:
    return f"1—{month}月累计完成(万元)"


ACTUALS_REQUIRED = (CODE, YEAR, MONTH, AMOUNT)
ACTUALS_OPTIONAL = (NAME, PROGRESS, PROBLEMS)
LIST_REQUIRED = (CODE, YEAR, PIPELINE, PLAN_AMOUNT)
LIST_OPTIONAL = (NAME, UNIT, LEADER, SECTOR, INDUSTRY, STAGE, LEVEL, TOTAL_INVESTMENT, PLANNED_START, CONTENT)

# Other spellings of a header that people type; errors then name the header as the file writes it.
ALIASES = {
    "年度": YEAR,
    "年份": YEAR,
    "月份": MONTH,
    "本月完成投资": AMOUNT,
    "年度计划投资": PLAN_AMOUNT,
    "总投资": TOTAL_INVESTMENT,
    "项目阶段": STAGE,
    "联系县级领导": LEADER,
    "包联县领导": LEADER,
}

CHOICE_ALIASES = {
    Pipeline: {
        "续建项目": Pipeline.CONTINUING,
        "新建项目": Pipeline.NEW,
        "新开工": Pipeline.NEW,
        "谋划项目": Pipeline.PLANNED,
        "储备": Pipeline.PLANNED,
        "储备项目": Pipeline.PLANNED,
        "谋划(储备)": Pipeline.PLANNED,
        "谋划储备": Pipeline.PLANNED,
    },
    Industry: {"第一产业": Industry.PRIMARY, "第二产业": Industry.SECONDARY, "第三产业": Industry.TERTIARY},
    Level: {"县级": Level.COUNTY, "市级": Level.CITY, "省级": Level.PROVINCE},
    Stage: {"前期工作": Stage.PREPHASE, "在建项目": Stage.CONSTRUCTION, "已竣工": Stage.COMPLETED},
    Sector: {},
}


def zh_label(choice) -> str:
    """A choice's Chinese label, whatever the request's language (templates are Chinese)."""
    with translation.override("zh-hans"):
        return str(choice.label)


def choice_lookup(choices) -> dict[str, str]:
    """Every accepted spelling (lower case, blanks removed) → code: the code, Chinese and English labels."""
    from .cells import normalize_header

    lookup = {}
    for choice in choices:
        for spelling in (choice.value, zh_label(choice), str(choice.label)):
            lookup[normalize_header(spelling).lower()] = choice.value
        with translation.override("en"):
            lookup[normalize_header(str(choice.label)).lower()] = choice.value
    for spelling, code in CHOICE_ALIASES.get(choices, {}).items():
        lookup[normalize_header(spelling).lower()] = code
    return lookup


def zh_labels(choices) -> str:
    """The Chinese labels of a choice set, for messages and list validations."""
    return "、".join(zh_label(c) for c in choices)
