"""Chinese text for the simulator: names, ordinary messages, and fraud phrase pools.

Fraud messages and call transcripts are composed per (fraud type, stage) from several pools —
opener, body, hook, closer — plus noise (emoji-free punctuation variants, tail digits, typos by
homophone), so no two gangs and few messages share one template.
"""

from __future__ import annotations

import string

import numpy as np

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建文斌宇浩凯健俊帆帅旭宁"
    "欣雪梅琳晶婷倩颖露瑶怡佳雨萱子涵梓轩博睿思诗晨阳嘉琪天佑一诺昊然"
)

# --- ordinary SMS (sent by service numbers) -----------------------------------------------------

SERVICE_SENDERS = [
    "95588", "95533", "95599", "95566", "95559", "95580", "95555", "10086", "10010", "10000",
    "106980095188", "106575000001", "1069070069", "106550101955", "106901234567",
]  # fmt: skip

NOTIFY_SMS = [
    "【{bank}】您尾号{tail}的账户{mm}月{dd}日{hh}:{mi}支出(消费){amt}元，余额{bal}元。",
    "【{bank}】您尾号{tail}的账户{mm}月{dd}日{hh}:{mi}收入(工资){amt}元，余额{bal}元。",
    "【顺丰速运】您的快件已到{place}丰巢柜，取件码{code}，请及时取件。",
    "【菜鸟驿站】您有包裹已到{place}驿站，凭取件码{code}取件，营业时间8:00-21:00。",
    "【京东】您的订单已由配送员送达，感谢您在京东购物，欢迎再次光临。",
    "【美团】您的外卖订单骑手已取餐，预计{hh}:{mi}送达。",
    "【中国移动】尊敬的客户，您本月已使用流量{amt}MB，剩余{bal}MB。",
    "【淘宝】验证码{code}，您正在登录，若非本人操作请忽略。",
    "【支付宝】验证码{code}，用于身份验证，5分钟内有效，请勿泄露给他人。",
    "【国家反诈中心】提醒您：凡是自称公检法要求转账到“安全账户”的都是诈骗！",
    "【12306】订单{code}，您已购{mm}月{dd}日车次，请凭身份证检票乘车。",
    "【{city}社保】您{mm}月的养老保险已缴费成功，感谢您的配合。",
]
MARKETING_SMS = [
    "【{shop}】双十一狂欢价，全场满300减50，点击 t.cn/{slug} 抢购，回T退订",
    "【{shop}】会员日专享8折券已到账，有效期至{mm}月{dd}日，拒收请回复R",
    "【{shop}】新品上市，到店即送精美礼品，详询门店，退订回T",
    "【{city}电信】宽带提速不加价，办理请回复1，退订回TD",
    "【{shop}】您的积分{amt}即将过期，可兑换好礼，回T退订",
]
PERSONAL_SMS = [
    "晚上回来吃饭不？", "我到了，你在哪", "明天几点出发", "好的收到", "妈，我这周末回来",
    "帮我带瓶酱油", "开会呢，晚点回你", "生日快乐！", "孩子放学我去接", "车停在东门了",
    "今天加班，不回来吃了", "钱收到了，谢谢", "周六一起吃火锅？", "票买好了", "在忙吗",
]  # fmt: skip
SHOPS = [
    "红旗连锁",
    "舞东风超市",
    "苏宁易购",
    "海底捞",
    "太平洋百货",
    "伊藤洋华堂",
    "永辉超市",
    "屈臣氏",
]


# --- fraud phrase pools: (type key) -> stage -> list of fragments ------------------------------

FRAUD_POOLS: dict[str, dict[str, list[list[str]]]] = {
    "shuadan": {
        "contact": [
            ["【兼职】", "亲，", "您好，", "宝妈看过来，", ""],
            [
                "在家动动手指就能赚钱",
                "手机点赞关注一单返佣金3-5元",
                "招聘线上兼职，时间自由",
                "日结兼职，一天轻松200+",
            ],
            ["，加QQ{qq}了解", "，详情点击 {url}", "，下载{app}领取任务", "，名额有限先到先得"],
        ],
        "groom": [
            ["第一单已返佣{amt}元，", "恭喜完成新手任务，", "老师提醒：", ""],
            ["接下来是连单任务", "充值越多返利越多", "需要完成3单才能提现", "系统派发了高额任务"],
            ["，请尽快完成", "，完成后本金加佣金一起返还", "，错过就没有了", ""],
        ],
        "demand": [
            ["您的任务未完成，", "系统提示卡单，", "由于您操作失误，", "账户异常，"],
            ["需再充值{amt}元解冻", "需补单{amt}元才能提现", "必须完成最后一单才能返还全部资金"],
            ["，否则资金无法退回", "，超时将清零", "。"],
        ],
    },
    "investment": {
        "contact": [
            ["您好，我是{name}老师助理，", "股友您好，", "恭喜您被选入VIP群，", ""],
            [
                "导师带你抓涨停",
                "内部消息：明日有一只牛股",
                "我们平台有内幕数据",
                "跟着导师操作月收益30%",
            ],
            ["，进群{url}", "，下载{app}开户", "，加微信{qq}", "，名额仅剩5个"],
        ],
        "groom": [
            ["今天群里又赚了{amt}，", "导师已发布新策略，", "提现秒到账，", ""],
            ["平台漏洞只有这几天", "机构资金正在入场", "小额试水已经盈利", "建议加大仓位"],
            ["，抓紧时间", "，错过再等一年", "。", "，请保密"],
        ],
        "demand": [
            ["系统异常，", "您的账户已被风控冻结，", "提现需先缴纳", ""],
            ["请缴纳解冻费{amt}元", "需交个人所得税{amt}元才能出金", "保证金不足请补{amt}元"],
            ["，24小时内处理", "，逾期资金将被没收", "。"],
        ],
    },
    "customer_service": {
        "contact": [
            ["您好，我是{shop}客服，", "【{shop}】", "您好，这里是快递理赔中心，"],
            [
                "您购买的商品存在质量问题",
                "您的快递丢失了",
                "您误开通了百万保障会员，将每月扣费{amt}元",
                "您的订单可办理双倍赔偿",
            ],
            [
                "，需要为您办理退款",
                "，请配合关闭",
                "，理赔请点击 {url}",
                "，请下载{app}进行屏幕共享",
            ],
        ],
        "groom": [
            [
                "请打开支付宝备用金",
                "需要您提供银行卡号和验证码",
                "请开启屏幕共享，我一步步教您",
                "请关闭免密支付",
            ],
            ["，核实一下您的身份", "，退款马上到账", "，不会扣您一分钱", ""],
            ["。", "，不要挂电话", "，这是正规流程"],
        ],
        "demand": [
            ["您的芝麻信用额度需要先转出", "系统显示退款失败", "请把贷款额度转到我们的对公账户"],
            ["，{amt}元验证后原路返还", "，请再操作一次", "，需转入{amt}元"],
            ["。", "，马上就好", ""],
        ],
    },
    "loan": {
        "contact": [
            ["【{bank}普惠】", "您好，", "急用钱？", ""],
            [
                "无抵押、低利息、放款快",
                "凭身份证可贷5-50万",
                "征信不好也能贷",
                "您有一笔20万额度待领取",
            ],
            ["，点击 {url} 申请", "，下载{app}秒批", "，回复1办理", ""],
        ],
        "groom": [
            ["您的贷款已审核通过，", "额度{amt}元已批，", "放款前", ""],
            ["需缴纳手续费", "需交保证金验证还款能力", "需购买保险"],
            ["，到账后退还", "，这是银监规定", "。"],
        ],
        "demand": [
            ["您填写的银行卡号有误，", "资金已被冻结，", "流水不足，"],
            ["需缴纳解冻费{amt}元", "需刷流水{amt}元", "请转{amt}元到指定账户验资"],
            ["，解冻后一并放款", "，否则影响征信", "。"],
        ],
    },
    "credit": {
        "contact": [
            ["您好，我是银保监会工作人员，", "您好，这里是征信中心，", "同学您好，"],
            ["您大学期间开通过校园贷账户", "您的京东金条需要注销", "您的学生账户未注销"],
            ["，不处理将影响征信", "，会上征信黑名单", "，需要下载{app}开视频会议"],
        ],
        "groom": [
            ["需要先把各平台额度清零", "请下载会议软件共享屏幕", "按我说的借出来再转走"],
            ["，才能注销", "，钱会原路退回", "，全程保密"],
            ["。", "", "，不要告诉别人"],
        ],
        "demand": [
            ["还有一个平台额度没清零，", "系统检测到余额，", ""],
            ["请转入{amt}元到监管账户", "需要再借{amt}元转出"],
            ["。", "，注销后退回"],
        ],
    },
    "authority": {
        "contact": [
            ["我是{city}公安局刑侦支队", "这里是最高检察院", "您好，我是市公安局民警{name}"],
            ["，您涉嫌一起洗钱案件", "，您的身份证被冒用开户", "，您名下银行卡涉嫌诈骗"],
            ["，已下发通缉令", "，需要配合资金核查", "，请访问 {url} 查看逮捕令"],
        ],
        "groom": [
            ["此案属于机密", "不能告诉家人", "请去买一部新手机和新卡"],
            ["，否则以妨碍司法论处", "，请单独找安静的房间", "，下载{app}接受调查"],
            ["。", "，我们会全程监控"],
        ],
        "demand": [
            ["请将资金转入安全账户", "需要进行资金清查", "请缴纳保证金"],
            ["{amt}元", "，核查后原路返还{amt}元"],
            ["，否则立即冻结", "。", "，今天必须完成"],
        ],
    },
    "acquaintance": {
        "contact": [
            ["我是{name}，", "小{name}，", "在吗？"],
            ["我换号了，存一下", "我是你领导，明天来我办公室一趟", "我新加的微信，通过一下"],
            ["。", "", "，有事找你"],
        ],
        "groom": [
            ["我在开会不方便接电话", "领导这边要打点一下", "公账流程太慢了"],
            ["，你先帮我垫一下", "，先转到这个账户", "，别声张"],
            ["。", "，回头就还你"],
        ],
        "demand": [["再转{amt}", "还差{amt}元", "急用{amt}"], ["，马上还你", "。"], [""]],
    },
    "game": {
        "contact": [
            ["低价出售{game}账号", "收{game}装备，高价回收", "代练{game}上王者"],
            ["，私聊", "，去{url}交易更安全", "，平台担保"],
            ["。", ""],
        ],
        "groom": [
            ["交易平台需要注册费", "您的账号需要认证"],
            ["{amt}元", ""],
            ["，交易后退还", "。"],
        ],
        "demand": [
            ["账户被冻结", "保证金不足"],
            ["，需缴纳解冻费{amt}元", "，请补{amt}元"],
            ["。"],
        ],
    },
    "romance": {
        "contact": [
            ["你好呀，", "Hi，", "冒昧打扰，"],
            ["看了你的资料觉得很有缘", "我是做跨境电商的", "我在新加坡做金融"],
            ["，能交个朋友吗", "，加个好友吧", "。"],
        ],
        "groom": [
            ["宝贝早安", "今天好想你", "我们的未来我都计划好了", "我舅舅在平台内部"],
            ["，有个稳赚的机会带你一起", "，你先少投一点试试", "。", "，等我回国就去见你"],
            ["", "❤"],
        ],
        "demand": [
            ["平台要交保证金", "我这边出了急事", "提现需要交税"],
            ["，你先帮我转{amt}", "，差{amt}元", "，{amt}元就够了"],
            ["，回来就还你", "。"],
        ],
    },
}

# Call transcripts (ASR text of the fraudster's side) reuse the same pools with spoken fillers.
SPOKEN_FILLERS = ["喂，", "嗯，", "那个，", "对对，", "您听我说，", "是这样的，", ""]

# --- phishing domains and fake apps ------------------------------------------------------------

BRAND_TOKENS = {
    "shuadan": ["douyin", "dy", "taobao", "tb", "jianzhi", "renwu", "fanli"],
    "investment": ["zhengquan", "gupiao", "licai", "jijin", "touzi", "huijin"],
    "customer_service": ["jd", "taobao", "kuaidi", "sf", "tuikuan", "lipei", "kefu"],
    "loan": ["daikuan", "jiedai", "jinrong", "icbc", "ccb", "weilidai"],
    "credit": ["zhengxin", "pbccrc", "xiaoyuandai", "cbirc"],
    "authority": ["gaj", "police", "mps", "spp", "gongan", "jcy"],
    "acquaintance": ["hongbao", "weixin", "wx"],
    "game": ["5173", "jiaoyimao", "wzry", "yx", "game"],
    "romance": ["yuehui", "jiaoyou", "love", "ai"],
}
DOMAIN_TAILS = ["-kefu", "-vip", "888", "-app", "-cn", "365", "-online", "-gov", "hk", "-sc", ""]
TLDS = ["com", "cc", "top", "vip", "xyz", "club", "net", "cn", "icu", "work", "site"]

FAKE_APP_LABELS = {
    "shuadan": ["任务大厅", "抖赚", "兼职宝", "返利联盟"],
    "investment": ["鑫汇财经", "华泰智投", "金牛证券", "汇盈环球"],
    "customer_service": ["云视讯", "屏幕助手", "理赔通"],
    "loan": ["易借贷", "速贷宝", "闪电借款"],
    "credit": ["征信服务", "ZOOM会议", "学信注销"],
    "authority": ["安全防护", "国家反诈监管", "公安卫士"],
    "acquaintance": ["微聊"],
    "game": ["游戏交易猫", "装备宝"],
    "romance": ["心动", "缘来", "相遇"],
}

ORDINARY_DOMAINS = [
    "www.baidu.com", "www.taobao.com", "www.jd.com", "weixin.qq.com", "www.douyin.com",
    "www.bilibili.com", "www.163.com", "www.sina.com.cn", "www.zhihu.com", "www.meituan.com",
    "www.icbc.com.cn", "www.ccb.com", "www.12306.cn", "www.sc.gov.cn", "www.chengdu.gov.cn",
    "www.pinduoduo.com", "www.xiaohongshu.com", "map.baidu.com", "www.ctrip.com", "www.qq.com",
]  # fmt: skip
URL_PATHS = [
    "/",
    "/index.html",
    "/search?q=",
    "/item/",
    "/news/",
    "/video/",
    "/login",
    "/user/center",
]

ORDINARY_APPS = [
    ("com.tencent.mm", "微信"), ("com.eg.android.AlipayGphone", "支付宝"),
    ("com.taobao.taobao", "淘宝"), ("com.jingdong.app.mall", "京东"),
    ("com.ss.android.ugc.aweme", "抖音"), ("com.sankuai.meituan", "美团"),
    ("com.xunmeng.pinduoduo", "拼多多"), ("tv.danmaku.bili", "哔哩哔哩"),
    ("com.tencent.mobileqq", "QQ"), ("com.icbc", "中国工商银行"), ("com.chinamworld.main", "建设银行"),
    ("com.hicorenational.antifraud", "国家反诈中心"), ("com.sdu.didi.psnger", "滴滴出行"),
    ("com.autonavi.minimap", "高德地图"), ("com.smile.gifmaker", "快手"),
]  # fmt: skip

GAMES = ["王者荣耀", "和平精英", "原神", "梦幻西游", "英雄联盟"]


def person_names(n: int, rng: np.random.Generator) -> np.ndarray:
    """Vectorised names: surname + one or two given characters."""
    s = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    g1 = np.array(GIVEN_CHARS)[rng.integers(0, len(GIVEN_CHARS), n)]
    g2 = np.array(GIVEN_CHARS + [""] * 20)[rng.integers(0, len(GIVEN_CHARS) + 20, n)]
    return np.char.add(np.char.add(s, g1), g2)


_FORMATTER = string.Formatter()


def fill(template: str, rng: np.random.Generator, **known: str) -> str:
    """Fill the ``{slot}`` placeholders of a template (only the slots it uses are drawn)."""
    slots = [f for _, f, _, _ in _FORMATTER.parse(template) if f]
    vals = {}
    for k in slots:
        if k in known:
            vals[k] = known[k]
        elif k not in vals:
            vals[k] = _SLOTS[k](rng)
    return template.format(**vals)


_SLOTS = {
    "amt": lambda r: str((1, 2, 5, 10)[int(r.integers(0, 4))] * int(r.integers(10, 2000))),
    "bal": lambda r: f"{r.integers(100, 90000)}.{r.integers(0, 100):02d}",
    "tail": lambda r: f"{r.integers(0, 10000):04d}",
    "mm": lambda r: f"{r.integers(1, 13)}",
    "dd": lambda r: f"{r.integers(1, 29)}",
    "hh": lambda r: f"{r.integers(7, 23):02d}",
    "mi": lambda r: f"{r.integers(0, 60):02d}",
    "code": lambda r: f"{r.integers(0, 1000000):06d}",
    "place": lambda r: _PLACES[int(r.integers(0, len(_PLACES)))],
    "bank": lambda r: _BANKS[int(r.integers(0, len(_BANKS)))],
    "shop": lambda r: _SHOPS_ALL[int(r.integers(0, len(_SHOPS_ALL)))],
    "city": lambda r: _CITIES[int(r.integers(0, len(_CITIES)))],
    "slug": lambda r: "".join(_SLUG[i] for i in r.integers(0, len(_SLUG), 6)),
    "qq": lambda r: str(r.integers(10**8, 4 * 10**9)),
    "name": lambda r: (
        SURNAMES[int(r.integers(0, len(SURNAMES)))] + _TITLES[int(r.integers(0, len(_TITLES)))]
    ),
    "game": lambda r: GAMES[int(r.integers(0, len(GAMES)))],
    "url": lambda r: "",
    "app": lambda r: "",
}
_PLACES = ["小区北门", "花园东区", "学府路", "菜市场旁", "南门"]
_BANKS = ["工商银行", "建设银行", "农业银行", "中国银行", "招商银行"]
_SHOPS_ALL = SHOPS + ["淘宝", "京东", "拼多多", "抖音商城"]
_CITIES = ["成都", "绵阳", "南充", "宜宾", "德阳"]
_SLUG = "abcdefghjkmnpqrstuvwxyz23456789"
_TITLES = ["老师", "经理", "警官", "总", ""]


_TAILS = ["", " ", "【回T退订】", "!", "~"]
_NOISE = [
    ("，", ","),
    ("。", "."),
    ("您", "你"),
    ("元", "块"),
    ("账户", "帐户"),
    ("验证码", "验证玛"),
]


def compose_fraud_text(
    ftype: str, stage: str, rng: np.random.Generator, spoken: bool = False, **known: str
) -> str:
    """One fraud message (or call transcript when ``spoken``) for a type and stage, with noise."""
    pools = FRAUD_POOLS[ftype][stage]
    text = "".join(p[int(rng.integers(0, len(p)))] for p in pools)
    if spoken:
        text = SPOKEN_FILLERS[int(rng.integers(0, len(SPOKEN_FILLERS)))] + text
        extra = compose_fraud_text(ftype, stage, rng, **known) if rng.random() < 0.5 else ""
        text = text + ("……" + extra if extra else "")
    for a, b in _NOISE:
        if rng.random() < 0.08:
            text = text.replace(a, b)
    if not spoken and rng.random() < 0.15:
        text = text + _TAILS[int(rng.integers(0, len(_TAILS)))]  # = rng.choice(_TAILS)
    return fill(text, rng, **known)
