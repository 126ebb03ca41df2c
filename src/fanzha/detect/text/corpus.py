"""The project's own Chinese SMS/chat material: fraud messages by police type and normal messages.

Templates with random slots, written for this project (no third-party text), so a model trained on
them can ship. Normal messages deliberately include the words fraud also uses (验证码, 退款, 快递,
贷款还款提醒, 退订 or not) so that single words cannot decide; fraud messages come with and without
greetings, short and long, so that length cannot decide either. The simulator can reuse ``generate``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from fanzha.domain.taxonomy import FraudType as F

NORMAL = "正常"

_BANKS = [
    "工商银行",
    "建设银行",
    "农业银行",
    "中国银行",
    "招商银行",
    "交通银行",
    "邮储银行",
    "浦发银行",
]
_SHOPS = ["淘宝", "京东", "拼多多", "抖音商城", "唯品会", "美团"]
_COURIERS = ["顺丰", "中通", "圆通", "韵达", "京东物流", "EMS", "申通"]
_CITIES = ["北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "重庆"]
_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴婷"]
_APPS = ["腾讯会议", "zoom", "云视讯", "飞书会议", "某某会议", "屏幕共享助手"]
_PLAT = ["优选商城", "星辰理财", "鑫汇国际", "聚宝盆", "天天赚", "金牛平台"]


def _d(n: int, rng: random.Random) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _money(rng: random.Random) -> str:
    return str(rng.choice([88, 100, 198, 200, 500, 680, 1000, 2000, 3000, 5000, 8800, 20000]))


def _slots(rng: random.Random) -> dict[str, str]:
    return {
        "bank": rng.choice(_BANKS),
        "shop": rng.choice(_SHOPS),
        "courier": rng.choice(_COURIERS),
        "city": rng.choice(_CITIES),
        "name": rng.choice(_NAMES),
        "app": rng.choice(_APPS),
        "plat": rng.choice(_PLAT),
        "m": _money(rng),
        "m2": _money(rng),
        "tail": _d(4, rng),
        "code": _d(6, rng),
        "qq": _d(9, rng),
        "phone": "1" + rng.choice("3578") + _d(9, rng),
        "order": _d(12, rng),
        "day": str(rng.randint(1, 28)),
        "hh": f"{rng.randint(8, 21)}:{rng.choice(['00', '30'])}",
        "url": rng.choice(["http://", "https://", ""])
        + rng.choice(["kf", "tk", "vip", "pay", "a"])
        + _d(3, rng)
        + rng.choice([".cc", ".top", ".xyz", ".vip"]),
    }


FRAUD_TEMPLATES: dict[F, list[str]] = {
    F.SHUADAN: [
        "招聘兼职，在家动动手指点赞关注就能赚钱，一单返佣金{m}元，日结，加微信{qq}咨询",
        "亲，刷单任务已派发，先垫付{m}元，完成后连本带佣金返还{m2}元",
        "您的任务未完成，系统显示卡单，需要再充值{m}元完成连单才能提现",
        "做单必须完成三连单才能结算佣金，充值越多返利越多，请尽快操作",
        "宝妈学生兼职，抖音点赞一个3元，加qq{qq}领取任务，当天返现",
        "导师说刚才那单是联单，要再做两单才能把本金和返利一起提出来",
    ],
    F.FAKE_CUSTOMER_SERVICE: [
        "您好，我是{shop}客服，您购买的商品质量有问题，我们给您双倍赔偿，请添加客服微信办理理赔",
        "【{courier}】您的快递在运输中丢失，我们将为您理赔{m}元，请点击{url}填写银行卡号",
        "您好，您在{shop}误开通了百万保障会员，每月将扣费{m}元，如需取消请配合操作",
        "我是{shop}售后，您的订单{order}退款失败，需要您开启屏幕共享，我指导您操作退款",
        "您的会员即将自动续费，取消需要关闭免密支付，把收到的验证码告诉我",
        "客服这边显示您芝麻信用不够，需要先在借呗借出{m}元转到指定账户验证流水",
    ],
    F.FAKE_INVESTMENT: [
        "跟着导师操作，{plat}内部消息，稳赚不赔，收益率每天百分之五",
        "我们有平台漏洞可以套利，投资{m}元一周翻倍，名额有限",
        "您在{plat}的账户提现失败，系统异常，需缴纳解冻费{m}元才能提现",
        "老师带单做数字货币，usdt稳定高回报，先小额试试，已经有很多人赚了",
        "您的投资账户因流水不足被冻结，请充值{m}元解冻后即可全部提现",
    ],
    F.FAKE_LOAN: [
        "无抵押无担保，低利息放款快，黑户也能贷，最高可贷{m2}元，加微信{qq}",
        "您申请的贷款已审批，因银行卡号填错资金被冻结，需交{m}元解冻费",
        "贷款放款前需要先交保证金{m}元证明还款能力，放款后一起退还",
        "您好，我们是{plat}金融，可以帮您提额度、代办信用卡，先交手续费{m}元",
        "急用钱吗？秒批秒到，零门槛，身份证就能借，点击{url}申请",
    ],
    F.FAKE_CREDIT: [
        "您好，您大学期间开通的校园贷未注销，会影响个人征信，请配合注销",
        "根据最新规定学生账户需要注销，否则征信将出现不良记录，请下载{app}开启屏幕共享",
        "您的征信有逾期记录，需要把各平台额度清零，借出来转到安全账户核查",
        "我是银保监会工作人员，您名下有违规网贷账户，不注销会影响征信和贷款",
    ],
    F.FAKE_SHOPPING: [
        "低价出售二手手机，全新未拆封，先付定金{m}元，包邮到家",
        "内部价转让演唱会门票，先付款后发票，过时不候",
        "代购名牌包包，特价{m}元，付款后三天发货，加微信看实物",
    ],
    F.IMPERSONATE_AUTHORITY: [
        "我是{city}公安局民警，你的身份证涉嫌一起洗钱案件，需要配合资金核查",
        "这里是{city}检察院，你已被列为通缉对象，请将资金转入安全账户接受审查",
        "你涉嫌违法犯罪，逮捕令已经下达，此事必须保密，不能告诉家人",
        "您的医保卡异常被盗刷，已经移交公安机关，请配合警官做资金清查",
        "我是{city}法院工作人员，你有一张传票未签收，请联系{phone}处理",
    ],
    F.IMPERSONATE_ACQUAINTANCE: [
        "我是你领导，明天来我办公室一趟，先加我新微信",
        "小{name}，我是王总，我在开会不方便接电话，急需给合作方转{m2}元，你先帮我垫一下",
        "猜猜我是谁？我换号了，最近手头紧，能不能借我{m}元，下周还你",
        "我是你表哥，在外面出了点事急用钱，先转{m}元到这个账户，别告诉家里",
        "公账流程太慢，你先从私人账户转给对方，回头给你报销",
    ],
    F.GAME_TRADE: [
        "出售游戏账号，满级全皮肤，去交易猫下单，注册费{m}元可退",
        "您的游戏装备交易资金被冻结，需要缴纳解冻费{m}元才能提现",
        "高价回收游戏账号，私下交易更快，先交保证金{m}元",
    ],
    F.ROMANCE: [
        "亲爱的，我在{plat}平台发现了一个漏洞，你也投一点，我们一起赚钱结婚",
        "宝贝，我在国外被扣押了，需要{m2}元赎身，求你先帮我转一下",
        "我们网恋这么久了，你相信我，这个投资稳赚，充值{m}元试试",
    ],
    F.IMPERSONATE_MILITARY: [
        "我是部队采购员，需要采购一批物资，请先垫付{m2}元，部队统一结算",
        "武警支队军需采购，需先交{m}元保证金才能签合同",
    ],
    F.WANGHEI: [
        "网黑也能下款，内部口子，强开额度，先交{m}元包装费",
    ],
    F.OTHER: [
        "恭喜您被抽中为幸运用户，获得二等奖{m2}元，领奖需先交个人所得税{m}元",
        "您好，您的{courier}包裹内有违禁品，已被海关扣押，需要缴纳罚款",
        "你儿子在我们手上，马上准备赎金{m2}元，不许报警",
    ],
}

NORMAL_TEMPLATES: list[str] = [
    "【{bank}】您尾号{tail}的储蓄卡{day}日{hh}消费支出人民币{m}.00元，活期余额{m2}.56元。",
    "【{bank}】您的验证码是{code}，用于登录手机银行，5分钟内有效，请勿泄露给他人。",
    "【{shop}】验证码{code}，您正在登录，若非本人操作请忽略。",
    "您的验证码为{code}，请在页面中输入以完成验证，有效期10分钟。",
    "【{courier}】您的快递已到{city}驿站，请凭取件码{tail}于今日{hh}前取件。",
    "【{courier}】快递员{name}正在派送您的包裹，电话{phone}，请保持电话畅通。",
    "【{shop}】您的退款{m}元已原路退回，预计1-3个工作日到账，请注意查收。",
    "【{shop}】您的订单{order}已发货，可在app内查看物流信息。",
    "【中国移动】尊敬的客户，您本月话费账单{m}元已出，截至{day}日余额{m2}元。",
    "【中国联通】您的流量已使用80%，如需加油包请回复1，回复TD退订。",
    "【中国电信】您已成功办理宽带续费，感谢您的支持。",
    "【{bank}】您的信用卡本期账单{m}元，最后还款日{day}日，请按时还款。",
    "【{bank}】您申请的贷款已按合同放款{m2}元至尾号{tail}账户，请登录手机银行查看。",
    "【{city}公安】提醒：公检法机关不会通过电话办案，不存在安全账户，谨防诈骗。",
    "【国家反诈中心】提醒您：刷单返利都是诈骗，不要轻信兼职刷单。",
    "【{city}市医保局】您的医保个人账户本月划入{m}元。",
    "【12306】您已购{day}日{city}至北京车票，请携带身份证乘车。",
    "【美团】您的外卖已送达，祝您用餐愉快。",
    "【滴滴出行】司机已到达上车点，车牌尾号{tail}，请尽快上车。",
    "【{city}人民医院】您已预约{day}日{hh}门诊，请提前15分钟到达。",
    "妈，我今晚加班，晚饭不回来吃了",
    "{name}，明天上午九点开会，记得带上周的报表",
    "周末一起去爬山吗？天气预报说是晴天",
    "快递到了帮我拿一下，放门卫那里就行",
    "老师好，孩子今天发烧请假一天",
    "好的，收到，谢谢",
    "房租下周一转给你，这周工资还没发",
    "晚上吃火锅还是烧烤？你定",
    "我到楼下了，你下来吧",
    "亲，您的宝贝已发货，注意查收哦",
    "【{shop}】双十一大促，全场满{m}减50，回复TD退订",
    "【{plat}】会员日福利已到账，积分可兑换礼品。",
    "尊敬的用户，您的账户于{day}日{hh}在新设备登录，如非本人操作请及时修改密码。",
    "【{bank}】您的账户今日转账{m}元至{name}，如有疑问请致电官方客服。",
    "您好，我是{shop}客服，您反映的问题已处理，退款已原路退回，无需其他操作。",
    "【{city}社保】您的社保卡已制作完成，请携带身份证到网点领取。",
    "这个月的水电费我已经交了，你把你那份转我就行",
    "刚才的会议纪要我发群里了，大家看一下",
    # Marketing and service SMS from real senders: links, 领取, 优惠 and 积分 are normal here.
    "【中国联通】年终回馈，登录手机营业厅抽全年免单，还有京东E卡等你拿，点击u.10010.cn/{tail}参与",
    "【中国移动】您有{m}积分即将到期，可兑换话费或流量，登录中国移动app查看，回复QX退订",
    "【中国电信】尊敬的用户，本月话费余额不足{m}元，为免影响使用请及时充值，点击{url}充值享9.5折",
    "【{shop}】会员专享：{m}元优惠券已放入您的账户，{day}日前有效，点击领取",
    "【{shop}】您关注的商品降价啦，限时秒杀{m}元起，戳链接查看",
    "【中国联通】流量加油包限时优惠，10元得5G，回复KTLL开通",
    "【{plat}】感谢您的支持，本期会员权益已更新，视频会员、外卖红包任选一个，登录app领取",
    "【{city}发布】明日有大到暴雨，请市民减少外出，注意出行安全",
    "【{city}交警】您的车辆于{day}日在{city}路口违停，请及时处理，可通过交管12123查询",
    "【{bank}】{m}元话费券已到账，使用手机银行缴费立减，详询官方客服95588",
    "【{bank}】您的信用卡积分可兑换礼品，登录掌上生活app查看，回复TD退订",
    "【{city}燃气】您的燃气费账单已出，金额{m}.50元，请于{day}日前缴纳",
    "【中国联通】宽带到期提醒：您的宽带将于{day}日到期，续约享优惠，详询10010",
    "【中国移动】您已成功订购5G流量包，次月生效，如需取消请发送QXLL到10086",
    "【{shop}】您参与的活动已中奖，奖品将于3日内发货，可在订单中查看物流",
    "【{courier}】您有一个包裹因地址不详暂存网点，请联系快递员{phone}确认地址",
    "【{city}税务】个人所得税年度汇算开始了，请通过个人所得税app办理",
    "【{plat}】您的账户于{day}日完成实名认证，感谢使用",
    "你那个快递我帮你签收了，回来记得拿",
    "这周六同学聚会，在{city}老地方，记得来",
    "领导让我们明天九点前把材料交上去，别忘了",
    "我转你{m}块，上次吃饭的钱",
    "宝贝，下班路上买点菜回来",
]


# Service and marketing SMS as real senders write them: a signature, a body, often a link to the
# sender's own site and an opt-out tail. Built from parts so that sender, offer, link and opt-out
# vary independently (a model must not learn "has a link" or "says 优惠" as fraud).
_SENDERS: dict[str, list[str]] = {
    "telecom": ["中国移动", "中国联通", "中国电信", "中国广电", "移动惠生活", "联通营业厅"],
    "bank": [
        "工商银行",
        "建设银行",
        "农业银行",
        "中国银行",
        "招商银行",
        "交通银行",
        "邮储银行",
        "平安银行",
        "中信银行",
        "兴业银行",
        "浦发银行",
        "广发银行",
        "光大银行",
        "民生银行",
    ],
    "shop": [
        "淘宝",
        "天猫",
        "京东",
        "拼多多",
        "唯品会",
        "苏宁易购",
        "盒马",
        "山姆会员店",
        "永辉超市",
        "屈臣氏",
        "优衣库",
        "海底捞",
        "瑞幸咖啡",
        "肯德基",
        "麦当劳",
        "星巴克",
    ],
    "app": [
        "美团",
        "饿了么",
        "滴滴出行",
        "携程旅行",
        "去哪儿",
        "高德地图",
        "哈啰",
        "京东到家",
        "网易云音乐",
        "爱奇艺",
        "腾讯视频",
        "优酷",
        "keep",
        "大众点评",
        "飞猪",
        "12306",
    ],
    "life": [
        "国家电网",
        "南方电网",
        "自来水公司",
        "燃气公司",
        "物业服务中心",
        "中国人寿",
        "平安保险",
        "太平洋保险",
        "顺丰速运",
        "中国邮政",
        "菜鸟驿站",
        "京东物流",
    ],
}
_OFFERS: dict[str, list[str]] = {
    "telecom": [
        "尊敬的客户，您本月套餐内通用流量已使用{pct}%，剩余{gb}GB，可登录{brand}app查询明细",
        "您{month}月账单已出：套餐费{m}.00元，增值业务{small}.00元，合计{m}.{cents}元",
        "尊敬的用户，您的话费余额为{small}.{cents}元，为避免停机请及时缴费，缴费可使用app或营业厅",
        "{month}月话费优惠活动：充{m}元送{small}元，本月{day}日前办理有效，详询{hotline}",
        "您已成功订购{gb}GB流量月包，费用{small}元/月，次月起自动续订",
        "您的积分{pts}分将于{month}月底清零，可兑换话费、视频会员等，登录app积分商城兑换",
        "感谢您使用我公司业务，您的宽带将于{month}月{day}日到期，续约两年享{disc}折优惠",
        "5G升级体验：每月加{small}元即可升级至5G套餐，含{gb}GB流量，回复KT5G办理",
        "尊敬的客户，您的手机号已入网满{yrs}年，获赠{gb}GB流量，{day}日内到账",
        "本机号码实名信息已核验完成，感谢您的配合",
    ],
    "bank": [
        "您尾号{tail}的卡{month}月{day}日{hh}收入(工资){m}.00元，余额{m2}.{cents}元",
        "您尾号{tail}信用卡{month}月账单金额{m}.{cents}元，最低还款{small}.00元，到期还款日{month}月{day}日",
        "您尾号{tail}的借记卡于{hh}通过快捷支付消费{small}.{cents}元，如非本人操作请致电{hotline}",
        "尊敬的客户，您获得消费贷预审批额度{big}元，年化利率低至{rate}%，登录手机银行查看，以审批为准",
        "信用卡分期优惠：账单分期手续费{disc}折，详情请登录手机银行，回复TD退订",
        "您的{yrs}年期定期存款已于今日到期，本息{m2}.{cents}元已转入活期账户",
        "尊敬的客户，您的手机银行于{hh}在新设备登录，如非本人操作请拨打{hotline}",
        "周五{small}元立减！使用信用卡在合作商户消费满{m}元立减{small}元，名额有限",
        "您申请的信用卡已寄出，快递单号{order}，收到后请通过官方app激活",
        "理财产品{plat}今日起认购，业绩比较基准{rate}%，理财非存款，产品有风险，投资须谨慎",
        "温馨提示：任何要求您转账到“安全账户”的都是诈骗，本行不会索要短信验证码",
    ],
    "shop": [
        "年中大促开启！全场{disc}折起，满{m}减{small}，{day}日晚8点开抢",
        "尊敬的会员，您有{small}元无门槛券即将过期，{day}日前下单可用",
        "您的订单已发货，{courier}单号{order}，预计{day}日送达",
        "会员日到店消费享双倍积分，新品第二件半价，欢迎光临",
        "您在本店购买的商品已签收，满意请给个好评，有问题请联系在线客服",
        "您的积分{pts}分可兑换精美礼品，兑换截止{month}月{day}日",
        "感谢您的光临！本周新品上市，凭此短信到店可领小礼品一份",
        "您的退货申请已通过，退款{small}.{cents}元将在1-3个工作日原路退回",
        "生日快乐！送您一张{small}元生日券，本月有效",
        "双十一预售开启，定金{small}元抵{m}元，尾款{month}月{day}日支付",
    ],
    "app": [
        "您的外卖订单已由骑手接单，预计{hh}送达",
        "您预订的{city}酒店订单已确认，入住日期{month}月{day}日，如需取消请在app内操作",
        "您已成功购买{month}月{day}日{city}至{city2}的车票，请按时乘车",
        "你的会员将于{day}日到期自动续费{small}元，如需取消可在“我的-设置”中关闭",
        "新人专享：首单立减{small}元，打开app领取红包",
        "本周骑行卡限时{disc}折，月卡仅需{small}元",
        "您的行程已结束，本次费用{small}.{cents}元，已使用优惠券抵扣",
        "您关注的{city}航线降价了，最低{m}元起",
        "验证码{code}，您正在注册账号，请勿转发给任何人",
        "您的账号于{hh}在{city}登录，若非本人操作请及时修改密码",
    ],
    "life": [
        "您户号{order}的{month}月电费{small}.{cents}元，请于{day}日前缴纳，可通过网上国网app缴费",
        "您的水费账单已出，本期用水{small}吨，金额{small}.{cents}元",
        "小区将于{month}月{day}日{hh}停水检修，请提前储水，给您带来不便敬请谅解",
        "您的保单{order}将于{month}月{day}日到期，续保请联系您的专属顾问或登录官方app",
        "您的快件已放入{city}路{small}号丰巢柜，取件码{tail}，请及时取件",
        "您的包裹已到菜鸟驿站，取件码{tail}，营业时间8:00-21:00",
        "保险理赔款{m}.00元已打入您尾号{tail}的账户，请查收",
        "本月物业费{m}元已生成，可在物业app内缴纳",
    ],
}
_HOTLINES = {"telecom": ["10086", "10010", "10000"], "bank": ["95588", "95533", "95599", "95566",
             "95555", "95559", "95580"], "shop": ["400-800-8888"], "app": ["app内客服"],
             "life": ["95598", "96777"]}  # fmt: skip
_OWN_LINKS = ["u.10086.cn/{x}", "u.10010.cn/{x}", "e.189.cn/{x}", "m.jd.com", "tb.cn/{x}",
              "dpurl.cn/{x}", "t.cmbchina.com/{x}", "icbc.com.cn", "meituan.com",
              "wap.10086.cn"]  # fmt: skip
_OPT_OUT = ["回复TD退订", "退订回T", "回T退订", "拒收请回复R", "退订回复TD", "回N退订",
            "回复0000退订", "退订请回复TD", "如不想收到此类短信请回复TD"]  # fmt: skip


def _marketing(rng: random.Random) -> str:
    kind = rng.choice(list(_SENDERS))
    brand = rng.choice(_SENDERS[kind])
    slots = _slots(rng)
    slots.update(
        brand=brand,
        pct=str(rng.choice([50, 80, 90, 100])),
        gb=str(rng.choice([1, 2, 5, 10, 20, 30, 100])),
        month=str(rng.randint(1, 12)),
        small=str(rng.choice([3, 5, 8, 9, 10, 15, 20, 29, 30, 50, 99])),
        cents=f"{rng.randint(0, 99):02d}",
        big=str(rng.choice([50000, 100000, 200000, 300000])),
        rate=rng.choice(["2.8", "3.15", "3.6", "4.2", "1.95"]),
        disc=str(rng.choice([5, 6, 7, 8, 9])),
        pts=str(rng.randint(100, 20000)),
        yrs=str(rng.randint(1, 10)),
        hotline=rng.choice(_HOTLINES[kind]),
        city2=rng.choice(_CITIES),
    )
    body = rng.choice(_OFFERS[kind]).format(**slots)
    r = rng.random()
    if r < 0.3:
        body += (
            "，详情"
            + rng.choice(["", "点击", "戳", "访问"])
            + " "
            + rng.choice(_OWN_LINKS).format(x=_d(rng.randint(4, 6), rng))
            + " "
        )
    elif r < 0.45:
        body += "，详询" + slots["hotline"]
    tail = "。" if rng.random() < 0.7 else ""
    if rng.random() < 0.45:
        tail += rng.choice(_OPT_OUT)
    pos = rng.random()
    if pos < 0.75:
        return f"【{brand}】{body}{tail}"
    if pos < 0.9:
        return f"{body}{tail}【{brand}】"
    return f"{brand}：{body}{tail}"


# Longer promotional and notice SMS of legitimate senders as they are really sent in bulk: an
# opening, two to four clauses (event, offer, conditions, place/time), a call to action and often
# an opt-out tail. Written for this project from the usual shape of such messages; the words fraud
# also uses (贷款, 额度, 免费领取, 抽奖, 红包, 积分, 退款, 验证码, 点击链接) appear on purpose.
_PROMO_SENDERS: dict[str, list[str]] = {
    "telecom": ["中国移动", "中国联通", "中国电信", "中国广电", "联通沃派", "移动和包"],
    "bank": ["招商银行", "工商银行", "建设银行", "交通银行", "平安银行", "中信银行信用卡",
             "广发信用卡", "浦发银行信用卡", "民生银行", "邮储银行", "农业银行"],
    "retail": ["苏宁易购", "国美电器", "永辉超市", "大润发", "沃尔玛", "屈臣氏", "名创优品",
               "周大福", "老凤祥", "安踏", "李宁", "波司登", "海澜之家", "红星美凯龙", "宜家家居"],
    "food": ["肯德基", "麦当劳", "必胜客", "海底捞", "西贝莜面村", "喜茶", "蜜雪冰城", "瑞幸咖啡"],
    "estate": ["万科城", "碧桂园", "保利天悦", "融创壹号院", "龙湖天街", "绿地中心"],
    "auto": ["一汽大众4S店", "广汽丰田4S店", "比亚迪汽车", "吉利汽车", "途虎养车", "上汽大众"],
    "edu": ["新东方", "学而思", "英孚教育", "华图教育", "中公教育", "驾校报名处"],
    "service": ["中国平安", "中国人寿", "美团", "携程", "华住会", "万达影城", "京东", "淘宝",
                "拼多多", "唯品会", "得物", "网易严选", "健身中心", "美容会所", "口腔医院"],
    "public": ["12345政务服务", "社保中心", "公积金管理中心", "税务局", "气象台", "交警支队",
               "卫健委", "街道办", "社区居委会", "供电公司", "自来水公司"],
}  # fmt: skip
_PROMO_OPEN = ["尊敬的客户", "尊敬的会员", "亲爱的会员", "您好", "尊敬的用户", "亲", "尊敬的车主",
               "尊敬的业主", "尊敬的家长", "市民朋友们", ""]  # fmt: skip
_PROMO_EVENT: dict[str, list[str]] = {
    "telecom": ["{month}月感恩回馈活动火热进行中", "新春特惠来啦", "年终大回馈，免单大奖等你拿",
                "5G畅享套餐限时优惠", "宽带新装季开启", "话费充值节来了"],
    "bank": ["信用卡境外消费返现活动开启", "周三美食五折日", "{month}月刷卡有礼", "消费分期费率优惠",
             "网点周年庆", "新客办卡礼", "理财节开幕"],
    "retail": ["周年庆盛大开启", "换季清仓", "双十二狂欢", "会员日到了", "新店开业大酬宾",
               "国庆黄金周特惠", "年货节开抢"],
    "food": ["新品上市", "会员周二半价日", "早餐套餐焕新", "周末亲子套餐上线", "生日月专属礼遇"],
    "estate": ["{city}城芯·精装洋房样板间开放", "首付{small}万起即可安家", "国庆看房团火热报名中",
               "现房发售，即买即住"],
    "auto": ["秋季保养节", "新车试驾礼", "以旧换新补贴政策来了", "冬季免费检测活动"],
    "edu": ["暑期班火热报名中", "春季班开课在即", "公务员考试冲刺班开班", "少儿英语免费试听课开放预约"],
    "service": ["年中狂欢节", "会员专享福利日", "暑期出游季", "周末观影特惠", "年卡限时特价",
                "口腔健康月"],
    "public": ["{city}市将于{month}月{day}日开展防空警报试鸣", "城乡居民医保开始缴费",
               "个人所得税综合所得汇算清缴开始", "明天起我市将出现强降温天气",
               "{month}月{day}日{hh}起部分区域计划停电检修", "今年第{small}号台风将影响我市"],
}  # fmt: skip
_PROMO_OFFER: dict[str, list[str]] = {
    "telecom": ["每月仅需{small}元，流量{gb}GB、通话{pts}分钟", "充{m}元送{small}元话费",
                "登录手机营业厅每天可抽取视频会员和京东E卡", "老用户升级套餐免费得{gb}GB流量",
                "办理宽带融合套餐送智能路由器", "积分可兑换话费、流量和视频会员"],
    "bank": ["单笔消费满{m}元返{small}元", "最高可享{big}元额度，日息低至万分之{small2}",
             "分期手续费享{disc}折", "新户首刷送{small}元立减金", "积分翻倍，可兑换航空里程",
             "到网点办理业务即送精美礼品一份", "大额存单年利率{rate}%起"],
    "retail": ["全场{disc}折起", "满{m}减{small}，上不封顶", "会员积分可抵现金", "进店即送精美礼品",
               "买一送一", "第二件半价", "消费满额可参与抽奖，最高赢取{m2}元购物卡"],
    "food": ["指定套餐立减{small}元", "凭短信到店免费领取小食一份", "第二杯半价", "新品尝鲜价{small}元",
             "会员下单积分双倍"],
    "estate": ["建面{pts}㎡精装三居", "总价{small}0万起", "到访即送精美礼品", "认购享{disc}.8折优惠",
               "地铁口物业，配套名校"],
    "auto": ["保养工时费{disc}折", "到店即送洗车一次", "购车享{m}元置换补贴", "免费检测刹车、空调、电瓶"],
    "edu": ["报名立减{m}元", "老学员续报享{disc}折", "名师小班授课", "不满意可全额退费", "前{small}名报名送教材"],
    "service": ["满{m}减{small}", "新人红包{small}元已放入账户", "酒店低至{disc}折", "电影票{small}.9元起",
                "年卡直降{m}元", "洗牙套餐{m}元", "首单免运费"],
    "public": ["请广大市民提前做好准备", "可通过官方app、微信公众号或线下窗口办理",
               "请相互转告", "如有疑问请拨打12345咨询", "请注意防寒保暖，出行注意安全",
               "请提前做好储水准备"],
}  # fmt: skip
_PROMO_WHEN = ["活动时间{month}月{day}日至{month2}月{day2}日", "仅限本周末", "{day}日前有效",
               "数量有限，先到先得", "活动截至本月底", "每天{hh}准时开抢", ""]  # fmt: skip
_PROMO_WHERE = ["地址：{city}市{road}路{small}号", "门店：{city}{road}店", "详见店内公告",
                "全国门店通用", ""]  # fmt: skip
_PROMO_ACT = ["详情点击{link}", "点击{link}立即参与", "登录官方app查看详情", "详询{hotline}",
              "回复1立即办理", "欢迎到店咨询", "戳{link}抢购", "关注官方微信公众号了解更多",
              "咨询热线{hotline}", "预约电话{phone}", ""]  # fmt: skip
_PROMO_LINKS = ["u.10010.cn/{x}", "dx.10086.cn/{x}", "a.189.cn/{x}", "t.cn/{x}", "dwz.cn/{x}",
                "m.tb.cn/{x}", "3.cn/{x}", "cmbt.cn/{x}", "url.cn/{x}", "j.mp/{x}",
                "https://m.{brand_en}.com/{x}", "http://{brand_en}.cn/{x}"]  # fmt: skip
_BRAND_EN = ["suning", "gome", "yonghui", "kfc", "mcd", "vanke", "pingan", "ctrip", "meituan",
             "jd", "vip", "xdf", "huazhu", "wanda", "cmbchina", "icbc", "ccb"]  # fmt: skip
_ROADS = ["人民", "解放", "中山", "建设", "和平", "长江", "黄河", "新华", "滨江", "胜利"]


def _promo(rng: random.Random) -> str:
    kind = rng.choice(list(_PROMO_SENDERS))
    brand = rng.choice(_PROMO_SENDERS[kind])
    slots = _slots(rng)
    slots.update(
        month=str(rng.randint(1, 12)),
        month2=str(rng.randint(1, 12)),
        day2=str(rng.randint(1, 28)),
        small=str(rng.choice([3, 5, 8, 9, 10, 15, 19, 20, 29, 30, 50, 88, 99])),
        small2=str(rng.choice([2, 3, 4, 5])),
        gb=str(rng.choice([5, 10, 20, 30, 40, 100])),
        pts=str(rng.choice([89, 100, 120, 143, 300, 500])),
        big=str(rng.choice([50000, 100000, 200000, 300000])),
        rate=rng.choice(["2.15", "2.6", "3.1", "1.9"]),
        disc=str(rng.choice([5, 6, 7, 8, 9])),
        road=rng.choice(_ROADS),
        hotline=rng.choice(["10086", "10010", "10000", "95588", "95555", "400-820-0000",
                            "400-888-6666", "0" + _d(2, rng) + "-" + _d(8, rng)]),
        brand_en=rng.choice(_BRAND_EN),
    )  # fmt: skip
    slots["link"] = rng.choice(_PROMO_LINKS).format(x=_d(rng.randint(4, 6), rng), **slots)
    parts = [rng.choice(_PROMO_EVENT[kind])]
    parts += rng.sample(_PROMO_OFFER[kind], k=rng.randint(1, min(3, len(_PROMO_OFFER[kind]))))
    for pool in (_PROMO_WHEN, _PROMO_WHERE, _PROMO_ACT):
        if rng.random() < 0.6:
            parts.append(rng.choice(pool))
    body = "，".join(x.format(**slots) for x in parts if x)
    opening = rng.choice(_PROMO_OPEN)
    if opening:
        body = f"{opening}，{body}"
    body += rng.choice(["。", "！", "~", "。"])
    if kind != "public" and rng.random() < 0.6:
        body += rng.choice(_OPT_OUT)
    pos = rng.random()
    if pos < 0.7:
        return f"【{brand}】{body}"
    if pos < 0.9:
        return f"{body}【{brand}】"
    return f"{brand}提醒您：{body}"


def _fill(tpl: str, rng: random.Random) -> str:
    return tpl.format(**_slots(rng))


def _noise(text: str, rng: random.Random) -> str:
    """Vary the surface: greetings, punctuation, spaces inside words, emoji (chat noise)."""
    r = rng.random()
    if r < 0.15:
        text = rng.choice(["您好，", "你好，", "在吗？", "打扰一下，"]) + text
    elif r < 0.25:
        text = text.replace("，", " ")
    elif r < 0.3:
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(["😊", "👍", "🙏", " "]) + text[i:]
    if rng.random() < 0.1:
        text = text.rstrip("。") + rng.choice(["！", "。", "", "~"])
    return text


def generate(
    n: int,
    seed: int = 0,
    fraud_share: float = 0.5,
    marketing_share: float = 0.5,
    promo_share: float = 0.0,
) -> Iterator[tuple[str, str]]:
    """Yield ``n`` (text, label) pairs; label is a ``FraudType`` value or ``正常``.

    ``marketing_share`` of the normal messages are composed service/marketing SMS (sender
    signature, offer, own link, opt-out), the rest come from the everyday templates.
    ``promo_share`` of the normal messages (drawn first) are longer bulk promotions and public
    notices (:func:`_promo`); 0 keeps the sequence of earlier versions for a given seed."""
    rng = random.Random(seed)
    types = list(FRAUD_TEMPLATES)
    for _ in range(n):
        if rng.random() < fraud_share:
            ft = rng.choice(types)
            tpl = rng.choice(FRAUD_TEMPLATES[ft])
            text = _fill(tpl, rng)
            if rng.random() < 0.3:  # two cues in one chat message
                text += "，" + _fill(rng.choice(FRAUD_TEMPLATES[ft]), rng)
            yield _noise(text, rng), ft.value
        elif promo_share and rng.random() < promo_share:
            yield _noise(_promo(rng), rng), NORMAL
        elif rng.random() < marketing_share:
            yield _noise(_marketing(rng), rng), NORMAL
        else:
            text = _fill(rng.choice(NORMAL_TEMPLATES), rng)
            if rng.random() < 0.2:
                text += " " + _fill(rng.choice(NORMAL_TEMPLATES), rng)
            yield _noise(text, rng), NORMAL
