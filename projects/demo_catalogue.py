"""What the demo county's projects look like: which unit runs which kind of work, and how each
kind of work is named, described and reported month by month (形象进度, 存在问题).

Taken from how county key-project lists read (the seeds in the shared brief): the education
bureau builds schools, the health bureau hospitals, transport roads, agriculture farms and
fields; townships a mix of their own. `projects.demo` draws from these tables.
"""

from dataclasses import dataclass

from .choices import BottleneckCategory, Industry, Sector, UnitKind


@dataclass(frozen=True)
class WorkKind:
    """One kind of project a unit runs: its sector, names, owner, content and narrative profile.

    Name templates use {town} (a place), {township} (the township unit itself, or a place's
    township), {village}, {river}, {road}, {firm}, {t} and {heads} (sizes) and {unit} (the unit's short
    name); content templates the project's sizes; `profile` picks the 形象进度 wording (PROGRESS).
    `scale` is the typical total investment in 万元 (the median of a log-normal spread).
    """

    sector: str
    industry: str
    profile: str
    names: tuple[str, ...]
    owner: str
    content: str
    scale: float

    @property
    def local_names(self) -> tuple[str, ...]:
        """The names a township gives this kind of work: those naming a place (its own)."""
        return tuple(n for n in self.names if "{town" in n) or self.names


def _kind(sector, profile, names, owner, content, scale, industry=Industry.TERTIARY) -> WorkKind:
    return WorkKind(sector, industry, profile, tuple(names), owner, content, scale)


ROAD = _kind(
    Sector.TRANSPORT,
    "road",
    [
        "{town}至{town2}公路改扩建工程",
        "国道{town}过境段改线工程",
        "{town}至{town2}旅游公路",
        "{township}产业路建设工程",
    ],
    "{unit}",
    "路线全长{km}公里，按二级公路标准建设，路基宽{width}米，沥青混凝土路面，配套桥涵及交通安全设施。",
    18000,
)
RURAL_ROAD = _kind(
    Sector.TRANSPORT,
    "road",
    ["{township}农村公路提档升级工程", "{township}{village}村至{village2}村通组公路", "{township}村组道路硬化工程"],
    "{unit}",
    "改建农村公路{km}公里，路基宽{width}米，水泥混凝土路面，配套边沟及安防设施。",
    2500,
)
BRIDGE = _kind(
    Sector.TRANSPORT,
    "bridge",
    ["{river}{town}大桥新建工程", "{township}{river}危桥改造工程"],
    "{unit}",
    "新建桥梁全长{m}米，{span}跨预应力混凝土T梁，桥面宽{width}米，配套引道工程。",
    6000,
)
BUS_STATION = _kind(
    Sector.TRANSPORT,
    "building",
    ["{town}客运综合枢纽", "{township}农村物流服务站"],
    "{unit}",
    "新建站房{area}平方米，配套停车场、充电桩及站前广场。",
    5000,
)
WATER_SUPPLY = _kind(
    Sector.WATER,
    "pipe",
    ["{township}农村供水保障工程", "{town}片区城乡供水一体化工程", "{township}水厂扩建及管网延伸工程"],
    "{unit}",
    "新建水厂{cap}吨/日，铺设供水管网{km}公里，覆盖{villages}个行政村。",
    6000,
)
IRRIGATION = _kind(
    Sector.WATER,
    "canal",
    ["{town}灌区续建配套与节水改造工程", "{township}小型农田水利设施建设项目"],
    "{unit}",
    "改造干支渠{km}公里，新建渠系建筑物{count}座，改善灌溉面积{mu}亩。",
    5000,
)
EMBANKMENT = _kind(
    Sector.WATER,
    "dike",
    ["{river}{town}段堤防加固工程", "{river}流域{town}段综合治理工程", "{township}中小河流治理工程"],
    "{unit}",
    "新建及加固堤防{km}公里，配套护岸、穿堤建筑物及防汛道路。",
    8000,
)
RESERVOIR = _kind(
    Sector.WATER,
    "dam",
    ["{township}{village}水库除险加固工程", "{village}水库建设工程"],
    "{unit}",
    "对大坝、溢洪道、放水设施进行除险加固，新建管理用房及防汛道路。",
    3000,
)
OLD_COMMUNITY = _kind(
    Sector.URBAN,
    "renovation",
    ["{road}片区老旧小区改造项目", "{township}老旧小区改造项目"],
    "{unit}",
    "改造老旧小区{span}个、楼栋{blocks}栋，实施外墙保温、雨污分流、道路及绿化提升。",
    4000,
)
SEWER = _kind(
    Sector.URBAN,
    "pipe",
    ["县城{road}雨污分流改造工程", "{township}污水管网建设工程", "县城{road}片区供热管网改造工程"],
    "{unit}",
    "新建及改造管网{km}公里，配套检查井、提升泵站及路面恢复。",
    5000,
)
HOUSING = _kind(
    Sector.URBAN,
    "building",
    ["{road}保障性租赁住房项目", "{road}棚户区改造安置房项目", "{township}人才公寓建设项目"],
    "{unit}",
    "新建住宅{blocks}栋、{homes}套，总建筑面积{area}平方米，配套地下车库及附属设施。",
    16000,
)
MARKET = _kind(
    Sector.URBAN,
    "building",
    ["{township}农贸市场建设项目", "{township}集镇综合体项目", "县城{road}智慧停车场建设项目"],
    "{unit}",
    "新建建筑面积{area}平方米，配套停车位、消防及给排水设施。",
    3500,
)
STREET = _kind(
    Sector.URBAN,
    "road",
    ["县城{road}新建工程", "县城{road}提升改造工程", "{township}集镇街道改造工程"],
    "{unit}",
    "道路全长{km}公里，红线宽{width}米，同步建设雨污管网、照明及绿化。",
    9000,
)
SEWAGE_PLANT = _kind(
    Sector.URBAN,
    "plant",
    ["县城第二污水处理厂建设项目", "{township}污水处理站建设项目", "县城生活垃圾焚烧发电项目"],
    "{unit}",
    "新建处理规模{cap}吨/日，建设构筑物及配套设备，出水达到一级A标准。",
    9000,
)
FACTORY = _kind(
    Sector.INDUSTRY,
    "factory",
    [
        "{firm}年产{t}万吨新型建材生产线项目",
        "{firm}年产{t}万套汽车零部件项目",
        "{firm}锂电池正极材料项目",
        "{firm}年产{t}万吨农产品精深加工项目",
        "{firm}电子元器件生产基地",
        "{firm}年产{t}万吨铁合金技改项目",
        "{firm}食品产业园项目",
    ],
    "{firm}实业有限公司",
    "新建生产厂房{blocks}栋{area}平方米，购置生产及检测设备{equip}台（套），建成{span}条生产线。",
    20000,
    Industry.SECONDARY,
)
PLANT_PARK = _kind(
    Sector.INDUSTRY,
    "factory",
    ["{unit}标准化厂房建设项目", "{unit}{town}片区标准化厂房项目", "{unit}中小企业孵化园"],
    "{unit}",
    "新建标准化厂房{blocks}栋{area}平方米，配套道路、管网及综合服务楼。",
    12000,
    Industry.SECONDARY,
)
SOLAR = _kind(
    Sector.ENERGY,
    "solar",
    ["{town}{mw}兆瓦光伏发电项目", "{township}农光互补光伏项目", "{township}分布式光伏整村推进项目"],
    "{firm}新能源有限公司",
    "建设光伏组件{mw}兆瓦，配套110千伏升压站及送出线路。",
    30000,
    Industry.SECONDARY,
)
GRID = _kind(
    Sector.ENERGY,
    "grid",
    ["{town}110千伏输变电工程", "{town}35千伏变电站新建工程", "{township}天然气管网延伸工程"],
    "县供电公司",
    "新建变电站1座，主变容量{mva}兆伏安，架设线路{km}公里。",
    6000,
    Industry.SECONDARY,
)
FIELDS = _kind(
    Sector.AGRICULTURE,
    "fields",
    ["{township}高标准农田建设项目", "{township}{village}片区高标准农田改造提升项目", "{township}高效节水灌溉项目"],
    "{unit}",
    "建设高标准农田{mu}亩，实施土地平整、田间道路、灌排沟渠及高效节水灌溉工程。",
    2500,
    Industry.PRIMARY,
)
CATTLE = _kind(
    Sector.AGRICULTURE,
    "farm",
    ["{township}{heads}头肉牛养殖基地", "{township}{village}村生猪标准化养殖场", "{township}{heads}只湖羊养殖示范场"],
    "{firm}牧业有限公司",
    "新建标准化圈舍{blocks}栋{area}平方米，配套饲草料库、青贮窖及粪污资源化利用设施，购置养殖设备。",
    4000,
    Industry.PRIMARY,
)
GREENHOUSE = _kind(
    Sector.AGRICULTURE,
    "greenhouse",
    ["{township}设施蔬菜基地建设项目", "{township}{village}村食用菌产业园", "{township}中药材种植示范基地"],
    "{firm}农业开发有限公司",
    "新建日光温室及大棚{count}座，配套水肥一体化、分拣包装车间及冷藏库。",
    3000,
    Industry.PRIMARY,
)
AGRI_PARK = _kind(
    Sector.AGRICULTURE,
    "greenhouse",
    ["{township}现代农业产业园", "{township}农产品冷链物流集配中心", "{township}田园综合体项目"],
    "{unit}",
    "建设种植示范区{mu}亩、冷链仓储{area}平方米及农产品交易展示中心。",
    8000,
    Industry.PRIMARY,
)
SCHOOL = _kind(
    Sector.SOCIAL,
    "building",
    [
        "{township}中心小学教学综合楼",
        "县第{nth}中学扩建工程",
        "{township}九年一贯制学校建设项目",
        "县城{road}小学新建工程",
        "{township}中心幼儿园建设项目",
        "县职业中学实训基地",
    ],
    "{unit}",
    "新建教学楼、宿舍楼及食堂，总建筑面积{area}平方米，配套运动场及附属设施，新增学位{seats}个。",
    6000,
)
SPORTS = _kind(
    Sector.SOCIAL,
    "building",
    ["县全民健身中心", "县体育场改造提升工程", "{township}全民健身广场"],
    "{unit}",
    "新建体育馆{area}平方米，配套标准田径场、健身步道及停车场。",
    9000,
)
HOSPITAL = _kind(
    Sector.SOCIAL,
    "building",
    [
        "县人民医院门急诊综合楼",
        "县人民医院住院综合楼",
        "县中医医院整体迁建工程",
        "县妇幼保健院业务用房建设项目",
        "县疾病预防控制中心业务楼",
        "{township}卫生院改扩建项目",
        "县人民医院传染病防治中心",
    ],
    "{unit}",
    "新建医疗业务用房{area}平方米，设置床位{beds}张，购置医疗设备，配套室外工程。",
    12000,
)
CULTURE = _kind(
    Sector.SOCIAL,
    "building",
    ["县文化馆图书馆建设项目", "县博物馆新建工程", "{township}综合文化站建设项目"],
    "{unit}",
    "新建场馆{area}平方米，配套展陈、停车场及广场。",
    6000,
)
TOURISM = _kind(
    Sector.OTHER,
    "tourism",
    [
        "{town}古镇保护利用工程",
        "{river}文旅融合示范区",
        "{township}乡村旅游示范村建设项目",
        "{village}景区提升改造工程",
    ],
    "{unit}",
    "建设游客服务中心{area}平方米、景区游步道{km}公里，实施古建筑修缮及旅游厕所、停车场等配套。",
    7000,
)
RESTORATION = _kind(
    Sector.ECOLOGY,
    "restoration",
    ["{township}历史遗留矿山生态修复工程", "{township}全域土地综合整治项目", "{river}湿地保护与修复工程"],
    "{unit}",
    "治理面积{mu}亩，实施边坡整治、土地复垦及植被恢复。",
    5000,
)
AFFORESTATION = _kind(
    Sector.ECOLOGY,
    "greening",
    ["{township}国土绿化示范项目", "{river}两岸生态廊道建设项目", "{township}森林质量精准提升工程"],
    "{unit}",
    "完成人工造林{mu}亩，实施退化林修复及配套管护设施。",
    2000,
)
SANITATION = _kind(
    Sector.ECOLOGY,
    "plant",
    ["{township}生活垃圾转运站", "{township}农村人居环境整治项目", "县城餐厨垃圾处理项目"],
    "{unit}",
    "建设处理规模{cap}吨/日，配套收运车辆及设备，覆盖{villages}个行政村。",
    2000,
)

# (name, kind, login of its reporting clerk, the kinds of work it runs with their weights)
UNITS = [
    ("县交通运输局", UnitKind.DEPARTMENT, "jtj", [(ROAD, 4), (RURAL_ROAD, 4), (BRIDGE, 2), (BUS_STATION, 1)]),
    ("县水利局", UnitKind.DEPARTMENT, "slj", [(WATER_SUPPLY, 3), (IRRIGATION, 2), (EMBANKMENT, 3), (RESERVOIR, 2)]),
    ("县住房和城乡建设局", UnitKind.DEPARTMENT, "zjj", [(OLD_COMMUNITY, 3), (SEWER, 3), (HOUSING, 2), (MARKET, 1)]),
    ("县工业和信息化局", UnitKind.DEPARTMENT, "gxj", [(FACTORY, 4), (GRID, 1)]),
    ("县农业农村局", UnitKind.DEPARTMENT, "nyj", [(FIELDS, 3), (CATTLE, 3), (GREENHOUSE, 2), (AGRI_PARK, 2)]),
    ("县教育体育局", UnitKind.DEPARTMENT, "jyj", [(SCHOOL, 5), (SPORTS, 1)]),
    ("县卫生健康局", UnitKind.DEPARTMENT, "wjj", [(HOSPITAL, 1)]),
    ("县自然资源局", UnitKind.DEPARTMENT, "zrj", [(RESTORATION, 3), (AFFORESTATION, 2)]),
    ("县文化和旅游局", UnitKind.DEPARTMENT, "wlj", [(TOURISM, 3), (CULTURE, 1)]),
    ("县城市建设投资有限公司", UnitKind.ENTERPRISE, "ctgs", [(STREET, 3), (HOUSING, 2), (SEWAGE_PLANT, 1), (SEWER, 1)]),
    ("县经济开发区管委会", UnitKind.DEPARTMENT, "kfq", [(FACTORY, 4), (PLANT_PARK, 2), (SOLAR, 1), (GRID, 1)]),
    ("城关镇", UnitKind.TOWNSHIP, "cgz", [(MARKET, 2), (OLD_COMMUNITY, 2), (SANITATION, 1), (STREET, 1)]),
    ("东坝镇", UnitKind.TOWNSHIP, "dbz", [(FIELDS, 2), (CATTLE, 2), (GREENHOUSE, 2), (SANITATION, 1)]),
    ("河口镇", UnitKind.TOWNSHIP, "hkz", [(FIELDS, 2), (WATER_SUPPLY, 1), (GREENHOUSE, 1), (RURAL_ROAD, 1)]),
    ("青山乡", UnitKind.TOWNSHIP, "qsx", [(AFFORESTATION, 2), (TOURISM, 2), (SOLAR, 1), (CATTLE, 1)]),
]

TOWNS = ["城关", "东坝", "河口", "青山", "石桥", "柳林", "红旗", "双河", "白沙", "新田", "马鞍", "龙泉", "长岭", "金鸡"]
VILLAGES = [
    "柳树",
    "杨家",
    "王庄",
    "李家沟",
    "石门",
    "大坪",
    "新庄",
    "河湾",
    "高家",
    "马家",
    "黄土梁",
    "张家湾",
    "枣林",
    "三岔",
    "沙坪",
    "红岩",
    "水磨",
    "上坪",
    "杏树",
    "盘龙",
]
RIVERS = ["清水河", "白龙江", "黑河", "沙河", "青龙河", "南河"]
ROADS = [
    "迎宾大道",
    "滨河路",
    "建设路",
    "人民路",
    "文化路",
    "东环路",
    "北环路",
    "工业大道",
    "振兴路",
    "育才路",
    "新华街",
]
FIRMS = ["鑫达", "宏远", "瑞丰", "恒泰", "金诺", "华源", "隆盛", "天润", "德康", "众和", "绿源", "晟通", "远航", "嘉禾"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = [
    "建华",
    "海燕",
    "志刚",
    "丽娟",
    "永强",
    "春梅",
    "国庆",
    "晓东",
    "红霞",
    "文杰",
    "桂兰",
    "立军",
    "静",
    "磊",
    "芳",
]
# Qualifiers that tell apart two projects that would otherwise share a name, in the order used.
PHASES = ["二期", "三期", "四期", "五期"]
CHINESE_DIGITS = "一二三四五六七八九"
XIANG = {"青山"}  # places that are 乡, not 镇

# 形象进度 by profile: (share of the total investment done from which it applies, wording).
PROGRESS = {
    "building": [
        (0.0, "完成场地平整及临时设施搭建，正在进行桩基施工"),
        (0.12, "基础工程完成，主体结构施工至第{floor}层"),
        (0.45, "主体结构封顶，正在进行砌体及二次结构施工"),
        (0.65, "外墙保温及门窗安装完成{p}%，室内装饰装修施工中"),
        (0.85, "室外管网、道路及绿化施工，设备安装调试中"),
    ],
    "road": [
        (0.0, "完成施工便道及测量放线，开始路基施工"),
        (0.1, "完成路基土石方{p}%，涵洞施工{n}道"),
        (0.4, "路基工程基本完成，完成水稳层铺筑{km_done}公里"),
        (0.65, "沥青路面摊铺完成{km_done}公里"),
        (0.88, "交通安全设施及绿化施工，准备交工验收"),
    ],
    "bridge": [
        (0.0, "完成钻孔灌注桩{n}根"),
        (0.3, "下部结构完成，墩柱施工完成{p}%"),
        (0.55, "T梁预制完成{n}片，正在架设"),
        (0.8, "桥面铺装及护栏施工，引道路基施工中"),
    ],
    "pipe": [
        (0.0, "完成管材采购及测量放线"),
        (0.1, "已铺设管网{km_done}公里，完成{p}%"),
        (0.7, "管道试压及闭水试验，路面恢复施工中"),
        (0.9, "泵站设备安装调试，具备通水条件"),
    ],
    "canal": [
        (0.0, "完成渠道清淤及测量放线"),
        (0.1, "渠道衬砌完成{km_done}公里，渠系建筑物完成{n}座"),
        (0.75, "田间配套及量水设施安装，准备试通水"),
    ],
    "dike": [
        (0.0, "完成围堰导流及清基"),
        (0.15, "堤身填筑完成{km_done}公里，护岸砌筑完成{p}%"),
        (0.7, "穿堤建筑物及防汛道路施工"),
        (0.9, "堤顶道路硬化及绿化，准备完工验收"),
    ],
    "dam": [
        (0.0, "水库放空，完成坝体清基"),
        (0.2, "坝体防渗处理完成{p}%"),
        (0.6, "溢洪道改造施工，放水设施更换中"),
        (0.85, "管理用房及防汛道路施工，准备蓄水验收"),
    ],
    "renovation": [
        (0.0, "完成入户调查及施工围挡"),
        (0.1, "完成{blocks_done}栋楼外墙保温改造，雨污管网改造完成{p}%"),
        (0.6, "小区道路及停车位改造，绿化提升施工中"),
        (0.85, "完成收尾整改，组织居民验收"),
    ],
    "plant": [
        (0.0, "完成场地平整及基坑开挖"),
        (0.15, "构筑物主体施工完成{p}%"),
        (0.55, "设备采购到货，工艺设备安装中"),
        (0.85, "单机调试完成，进入联动调试"),
    ],
    "factory": [
        (0.0, "完成土地摘牌及场地平整"),
        (0.1, "厂房基础施工完成，钢结构吊装完成{blocks_done}栋"),
        (0.45, "厂房主体完工，生产设备进场安装{p}%"),
        (0.8, "生产线安装调试，计划年内试生产"),
    ],
    "solar": [
        (0.0, "完成场区道路及光伏支架基础施工{p}%"),
        (0.35, "光伏组件安装完成{mw_done}兆瓦"),
        (0.7, "升压站土建完工，电气设备安装中"),
        (0.9, "送出线路架设完成，准备并网调试"),
    ],
    "grid": [
        (0.0, "完成站址三通一平"),
        (0.2, "变电站土建施工，铁塔组立完成{n}基"),
        (0.6, "导线架设完成{km_done}公里，主变安装中"),
        (0.85, "设备调试，准备投运"),
    ],
    "fields": [
        (0.0, "完成项目区测量及施工放样"),
        (0.1, "完成土地平整{mu_done}亩，田间道路施工中"),
        (0.5, "灌排沟渠完成{p}%，高效节水灌溉管网铺设中"),
        (0.85, "农田防护林栽植及设施移交准备"),
    ],
    "farm": [
        (0.0, "完成场地平整及圈舍基础施工"),
        (0.2, "圈舍钢结构主体完成{blocks_done}栋"),
        (0.5, "饲草料库及粪污处理设施施工，养殖设备采购中"),
        (0.8, "养殖设备安装调试完成{p}%，准备引进首批种畜"),
    ],
    "greenhouse": [
        (0.0, "完成土地流转及场地平整"),
        (0.15, "温室大棚钢架搭建完成{n}座"),
        (0.55, "水肥一体化及温控设备安装中"),
        (0.8, "分拣包装车间及冷藏库施工，部分大棚投入种植"),
    ],
    "tourism": [
        (0.0, "完成景区规划及场地清理"),
        (0.15, "游客服务中心主体施工，游步道完成{km_done}公里"),
        (0.55, "古建筑修缮完成{p}%，景观及亮化施工中"),
        (0.85, "旅游厕所及停车场完工，准备试运营"),
    ],
    "restoration": [
        (0.0, "完成危岩清理及施工便道"),
        (0.15, "边坡整治完成{p}%，土地复垦{mu_done}亩"),
        (0.65, "覆土及植被恢复施工中"),
    ],
    "greening": [
        (0.0, "完成整地及苗木采购"),
        (0.15, "完成造林{mu_done}亩"),
        (0.7, "补植补造及抚育管护"),
    ],
}

# A reported month of a project not yet started, in the order the paperwork goes (前期手续).
PREPHASE_STEPS = [
    "项目建议书已批复，正在编制可行性研究报告",
    "可行性研究报告已完成专家评审",
    "正在办理用地预审与选址意见书",
    "环境影响评价报告已公示，等待批复",
    "初步设计及概算已批复，正在编制施工图",
    "施工图审查完成，正在进行施工招标",
    "已完成施工招标，施工许可办理中，具备开工条件",
]
# Pre-phase money (前期经费) some reserve projects spend while still in pre-phase.
PREPHASE_SPENDING = ["支付前期工作经费（勘察测绘及咨询费用）", "支付地形测绘及地质勘察费用"]
COMPLETED_TEXT = "项目已完工，正在办理竣工验收及结算"
IN_USE_TEXT = "已竣工验收并投入使用"

# 存在问题 and the bottleneck they come with, by profile (the wording of each category).
PROBLEMS = {
    "road": [
        (BottleneckCategory.LAND_ACQUISITION, "K{n}+200至K{n2}+600段{houses}户房屋征收协议未签订，影响路基施工"),
        (BottleneckCategory.OTHER, "沿线电力、通信杆线迁改需协调供电、通信公司"),
    ],
    "bridge": [(BottleneckCategory.APPROVALS, "涉河建设方案尚未取得水行政主管部门批复")],
    "pipe": [(BottleneckCategory.OTHER, "管网穿越国道需交通部门审批，部分路段无法开挖")],
    "canal": [(BottleneckCategory.FUNDING, "中央预算内资金{money}万元尚未下达，施工单位垫资困难")],
    "dike": [(BottleneckCategory.LAND_ACQUISITION, "堤防占地{mu}亩青苗补偿未完成，群众阻工")],
    "dam": [(BottleneckCategory.FUNDING, "地方配套资金{money}万元未落实")],
    "renovation": [(BottleneckCategory.OTHER, "部分居民对加装电梯意见不统一，影响施工进度")],
    "building": [
        (BottleneckCategory.FUNDING, "专项债券资金{money}万元尚未到位，施工单位垫资困难"),
        (BottleneckCategory.APPROVALS, "消防设计审查意见尚未取得，影响后续施工"),
    ],
    "plant": [(BottleneckCategory.LAND_QUOTA, "项目用地指标{mu}亩尚未落实，土地预审未通过")],
    "factory": [
        (BottleneckCategory.LAND_QUOTA, "项目二期用地{mu}亩指标未落实，无法办理供地"),
        (BottleneckCategory.FUNDING, "企业融资未到位，设备采购资金缺口{money}万元"),
    ],
    "solar": [(BottleneckCategory.APPROVALS, "接入系统方案尚未取得电网公司批复")],
    "grid": [(BottleneckCategory.LAND_ACQUISITION, "塔基占地{n}处补偿协议未签订")],
    "fields": [(BottleneckCategory.OTHER, "项目区部分地块种植作物未收获，土地平整无法进场")],
    "farm": [
        (BottleneckCategory.LAND_QUOTA, "设施农用地{mu}亩备案手续办理滞后"),
        (BottleneckCategory.APPROVALS, "畜禽养殖环评批复尚未取得"),
    ],
    "greenhouse": [(BottleneckCategory.LAND_ACQUISITION, "部分农户土地流转合同未签订")],
    "tourism": [(BottleneckCategory.APPROVALS, "文物保护单位修缮方案待省文物局批复")],
    "restoration": [(BottleneckCategory.FUNDING, "生态修复专项资金{money}万元未拨付")],
    "greening": [(BottleneckCategory.OTHER, "受持续干旱影响，苗木成活率偏低需补植")],
}
NOT_STARTED_PROBLEM = "用地报批及施工许可尚未办结，未能按计划开工"
WINTER_PROBLEM = "受冬季低温影响，混凝土浇筑等部分工序暂停"
