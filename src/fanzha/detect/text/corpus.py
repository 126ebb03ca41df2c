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
    broad_share: float = 0.0,
    fraud_sms_share: float = 0.0,
) -> Iterator[tuple[str, str]]:
    """Yield ``n`` (text, label) pairs; label is a ``FraudType`` value or ``正常``.

    ``marketing_share`` of the normal messages are composed service/marketing SMS (sender
    signature, offer, own link, opt-out), the rest come from the everyday templates.
    ``promo_share`` of the normal messages (drawn first) are longer bulk promotions and public
    notices (:func:`_promo`); 0 keeps the sequence of earlier versions for a given seed.
    ``broad_share`` of the normal messages (drawn before the promo ones) come from
    :func:`broad_normal` (local marketing prose, service notices, codes, bank/lender notices);
    ``fraud_sms_share`` of the fraud messages from :func:`_fraud_sms` (fraud dressed as SMS)."""
    rng = random.Random(seed)
    types = list(FRAUD_TEMPLATES)
    for _ in range(n):
        if rng.random() < fraud_share:
            ft = rng.choice(types)
            if fraud_sms_share and ft in _PROSE_WHO and rng.random() < fraud_sms_share:
                if rng.random() < 0.12:
                    yield _formal(rng, fraud=True)
                else:
                    yield _noise(_fraud_sms(ft, rng), rng), ft.value
                continue
            tpl = rng.choice(FRAUD_TEMPLATES[ft])
            text = _fill(tpl, rng)
            if rng.random() < 0.3:  # two cues in one chat message
                text += "，" + _fill(rng.choice(FRAUD_TEMPLATES[ft]), rng)
            yield _noise(text, rng), ft.value
        elif broad_share and rng.random() < broad_share:
            if rng.random() < 0.1:
                yield _formal(rng, fraud=False)
            else:
                yield _noise(broad_normal(rng), rng), NORMAL
        elif promo_share and rng.random() < promo_share:
            yield _noise(_promo(rng), rng), NORMAL
        elif rng.random() < marketing_share:
            yield _noise(_marketing(rng), rng), NORMAL
        else:
            text = _fill(rng.choice(NORMAL_TEMPLATES), rng)
            if rng.random() < 0.2:
                text += " " + _fill(rng.choice(NORMAL_TEMPLATES), rng)
            yield _noise(text, rng), NORMAL


# ---- Broad everyday SMS traffic (v3) ----------------------------------------------------------
# Revised after the shipped model flagged 40 % of real operator/marketing SMS in an external
# evaluation set: the normal side lacked the prose of bulk marketing (thanks, festival openings,
# gifts "价值…元", "凭短信到店", "期待您的光临", wishes), small local businesses and most service
# notices. Written from general knowledge of Chinese SMS traffic; no evaluation text was copied.
# Sender names are composed from neutral parts so no single brand becomes a cue.
_NAME_PREFIX = ["金福", "丽人", "新世纪", "华联", "佳美", "御品", "百年", "东方", "锦绣", "悦享", "瑞丰",
                "和顺", "名流", "伊人", "康美", "华润", "红蜻蜓", "金鹰", "银泰", "天虹", "星河", "阳光",
                "蓝天", "梦想", "青禾", "万家", "福满", "美家", "一品", "雅居", "君悦", "晨曦", "江南",
                "兰亭", "紫荆", "恒大", "金地", "九龙", "盛世", "欧雅", "米兰", "尚品", "优贝", "贝乐"]  # fmt: skip
_INDUSTRIES: dict[str, dict[str, list[str]]] = {
    "beauty": {
        "suffix": ["美容会所", "美容院", "美发沙龙", "美甲店", "养生馆", "SPA会所", "皮肤管理中心",
                   "形象设计", "医疗美容门诊"],
        "member": ["会员", "顾客", "贵宾", "VIP客户"],
        "event": ["新店开业", "店庆{yrs}周年", "会员感恩月", "春季焕颜季", "女神节特惠"],
        "offer": ["全场护理项目{disc}折", "补水护理体验价{small}元", "办卡充{m}送{small0}",
                  "老顾客带新顾客各赠护理一次", "烫染套餐{m}元起", "美甲款式第二位半价",
                  "头部按摩免费体验一次", "新品面膜买二送一"],
        "gift": ["精美化妆包", "护肤小样一套", "玫瑰精油一瓶", "面膜五片装", "颈部护理一次"],
    },
    "jewel": {
        "suffix": ["珠宝", "黄金", "金店", "珠宝专营店", "钻石专卖店", "银饰"],
        "member": ["会员", "顾客", "VIP会员", "贵宾"],
        "event": ["黄金节", "婚庆季", "七夕钻石节", "{holiday}特惠", "旧金换新活动"],
        "offer": ["黄金饰品每克优惠{small}元", "钻石全场{disc}折", "旧金以旧换新免工费",
                  "K金镶嵌满{m}减{small0}", "婚嫁套系享专属折扣", "免费清洗保养首饰"],
        "gift": ["银饰吊坠一枚", "首饰收纳盒", "转运红绳一条", "精美钥匙扣"],
    },
    "estate": {
        "suffix": ["花园", "府", "壹号院", "国际社区", "新城", "湾", "置业", "房产中介", "地产"],
        "member": ["客户", "业主", "朋友"],
        "event": ["样板间盛大开放", "{holiday}看房团报名中", "新品加推", "现房清盘", "二期认筹启动"],
        "offer": ["建面{pts}平米三房两厅", "首付{small}万起", "均价{price}元/平米",
                  "总价{small}0万起", "认购享{disc}.8折", "带装修交付，拎包入住",
                  "地铁口，名校学区", "二手房买卖、租赁、按揭、过户一站式服务", "购房可享契税补贴"],
        "gift": ["食用油一桶", "精美雨伞", "儿童玩具", "家居礼包"],
    },
    "auto": {
        "suffix": ["汽车4S店", "汽车城", "汽修中心", "养车", "汽车美容店", "驾校"],
        "member": ["车主", "客户", "会员", "学员"],
        "event": ["秋季保养节", "新车上市品鉴会", "周末试驾会", "以旧换新季", "冬季免费检测",
                  "暑期学车季"],
        "offer": ["保养工时费{disc}折", "全系车型限时直降{m}元", "购车享{yrs}年免费保养",
                  "置换补贴最高{m}元", "免费检测刹车、电瓶、空调", "学车报名立减{m}元",
                  "分期购车首付{small}%起，以金融机构审批为准", "洗车卡{small}元{small0}次"],
        "gift": ["车载香薰", "洗车一次", "行车记录仪", "玻璃水一瓶"],
    },
    "edu": {
        "suffix": ["教育", "培训学校", "英语", "艺术培训中心", "早教中心", "职业技能培训学校",
                   "书画院", "舞蹈学校"],
        "member": ["家长", "学员", "同学"],
        "event": ["暑期班报名中", "秋季班开课", "免费试听课开放预约", "公开课", "期末冲刺班开班"],
        "offer": ["小班授课，每班不超过{small}人", "报名立减{m}元", "老学员续报{disc}折",
                  "名师一对一辅导", "课程不满意可按规定退费", "前{small}名报名赠送教材"],
        "gift": ["学习礼包", "文具套装", "绘本一套"],
    },
    "insure": {
        "suffix": ["保险", "人寿", "财险"],
        "member": ["客户", "车主"],
        "event": ["车险续保提醒", "客户服务节", "健康体检活动"],
        "offer": ["您的车险将于{month}月{day}日到期，提前续保享优惠", "客户可免费参加健康体检",
                  "保单可在官方app查询", "理赔进度可在官方app实时查看"],
        "gift": ["体检券一张", "车载礼品", "洗车券"],
    },
    "travel": {
        "suffix": ["国际旅行社", "温泉度假村", "大酒店", "景区", "民宿", "旅游度假区"],
        "member": ["游客", "会员", "客人"],
        "event": ["{holiday}出游季", "暑期亲子游", "冬季温泉节", "春季赏花游"],
        "offer": ["{city}五日游{m}元/人起", "温泉门票{disc}折", "住两晚送一晚", "含早餐双人套餐{m}元",
                  "景区门票凭短信享优惠价", "亲子房限时特价"],
        "gift": ["早餐券", "温泉门票一张", "欢迎水果"],
    },
    "food": {
        "suffix": ["火锅", "酒楼", "烘焙坊", "茶餐厅", "烤肉", "茶饮", "大饭店", "面馆", "蛋糕店"],
        "member": ["会员", "顾客", "食客"],
        "event": ["新店开业", "周年店庆", "{holiday}团圆宴预订中", "夏季新品上市", "周二会员日"],
        "offer": ["全场菜品{disc}折", "凭短信到店赠送果盘一份", "充{m}送{small0}", "生日当天到店享免费长寿面",
                  "套餐{small}元起", "第二份半价", "年夜饭包厢火热预订中"],
        "gift": ["饮品一杯", "招牌甜品", "果盘一份", "小蛋糕"],
    },
    "retail": {
        "suffix": ["服饰", "家居广场", "电器城", "母婴店", "超市", "茶庄", "酒业", "眼镜店", "鞋业",
                   "家具城", "建材市场", "手机店", "药房", "购物中心"],
        "member": ["会员", "顾客", "朋友"],
        "event": ["换季清仓", "周年庆", "{holiday}大促", "新品到店", "会员日", "开业大酬宾"],
        "offer": ["全场{disc}折起", "满{m}减{small0}", "积分可抵现", "买一送一", "第二件半价",
                  "凭会员卡享折上折", "消费满额可参与抽奖", "以旧换新最高补贴{m}元", "部分商品低至{small}元"],
        "gift": ["环保袋", "精美礼品", "抽纸一提", "鸡蛋一盒", "购物券{small}元"],
    },
    "shop_online": {
        "suffix": ["旗舰店", "官方旗舰店", "专营店", "小店"],
        "member": ["亲", "顾客", "会员", "粉丝"],
        "event": ["{holiday}大促", "年货节", "店铺周年庆", "新品首发", "会员专享日"],
        "offer": ["{small0}元无门槛券已放入您的账户", "全场包邮", "前{small}分钟下单半价", "满{m}减{small0}",
                  "下单即送试用装", "关注店铺领优惠券"],
        "gift": ["试用装", "小样礼包", "赠品一份"],
    },
    "recruit": {
        "suffix": ["人力资源", "公司", "集团", "制造有限公司", "物流公司", "餐饮管理公司"],
        "member": ["求职者", "朋友", "同学"],
        "event": ["{city}春季招聘会", "校园招聘", "诚聘", "急招"],
        "offer": ["招聘普工、质检、仓管，月薪{wage}元", "五险一金，包吃住", "带薪年假，节日福利",
                  "面试地址：{city}{road}路{small}号{small0}楼", "请携带身份证和简历到现场面试",
                  "工作时间8小时，周末双休", "招聘会地点：{city}人才市场", "应届生可投递简历至公司官网"],
        "gift": ["入职体检报销", "员工宿舍"],
    },
    "health": {
        "suffix": ["口腔门诊", "体检中心", "健身房", "眼科医院", "中医馆", "大药房", "瑜伽馆"],
        "member": ["会员", "顾客", "客户"],
        "event": ["口腔健康月", "夏季健身季", "三伏贴开始预约", "爱眼日活动"],
        "offer": ["洗牙{small}元", "儿童涂氟免费", "体检套餐{m}元起", "年卡{m}元", "私教体验课免费",
                  "会员购药积分翻倍", "近视筛查免费"],
        "gift": ["牙刷套装", "运动毛巾", "体验课一节"],
    },
}  # fmt: skip
_HOLIDAYS = ["春节", "元宵节", "三八妇女节", "五一", "母亲节", "端午节", "父亲节", "七夕", "中秋",
             "国庆", "双十一", "双十二", "圣诞", "元旦", "年货节", "开学季", "618"]  # fmt: skip
_GREET = ["尊敬的{member}", "亲爱的{member}", "尊敬的{member}您好", "{sur}先生您好", "{sur}女士您好",
          "亲爱的{shop}{member}", "尊敬的{shop}{member}", "您好", "亲", ""]  # fmt: skip
_THANKS = ["感谢您一直以来对{shop}的支持与信任", "感谢您对我们的厚爱", "为回馈新老顾客",
           "为答谢广大{member}的支持", "值此{holiday}来临之际", "{holiday}将至", "好消息",
           "喜讯", "本店特别推出", "{shop}感恩回馈"]  # fmt: skip
_GIFT = ["凭此短信到店即可领取{gift}一份", "到店即送{gift}", "进店即可免费领取价值{small}元的{gift}",
         "消费即赠{gift}", "凭短信可免费领取{gift}", "前{small}名到店赠{gift}"]  # fmt: skip
_COND = ["数量有限，送完即止", "名额有限，先到先得", "限前{small}名", "活动最终解释权归本店所有",
         "详情请咨询店内工作人员", "不与其他优惠同享"]  # fmt: skip
_TIME = ["活动时间：{month}月{day}日-{month2}月{day2}日", "仅限本周末", "即日起至{month}月底",
         "{day}日前有效", "{month}月{day}日盛大开启", "活动仅限{small}天"]  # fmt: skip
_PLACE = ["地址：{city}{road}路{small}号", "店址：{city}{road}街{small}号（{road}广场对面）",
          "地址：{city}{road}商业街{small0}号铺", "电话：{land}", "咨询电话：{land}",
          "预约热线{land}", "联系电话{phone}", "售楼处：{city}{road}大道与{road2}路交汇处"]  # fmt: skip
_CTA = ["期待您的光临", "欢迎莅临", "欢迎新老顾客光临", "欢迎到店咨询", "恭候您的光临",
        "欢迎来电咨询", "欢迎前来选购", "敬请关注", "期待与您相见", "快来抢购吧",
        "欢迎预约参观", "详情请登录官方app查看"]  # fmt: skip
_WISH = ["祝您生活愉快", "祝您阖家幸福", "祝您身体健康、万事如意", "祝您节日快乐", "谢谢",
         "祝您工作顺利", "顺祝商祺"]  # fmt: skip
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")


def _vslots(rng: random.Random) -> dict[str, str]:
    s = _slots(rng)
    s.update(
        month=str(rng.randint(1, 12)),
        month2=str(rng.randint(1, 12)),
        day2=str(rng.randint(1, 28)),
        small=str(rng.choice([2, 3, 5, 8, 9, 10, 12, 15, 18, 19, 20, 28, 30, 39, 50, 68, 88, 99])),
        small0=str(rng.choice([10, 20, 30, 50, 100, 200, 300, 500])),
        disc=str(rng.choice([5, 6, 7, 8, 9])),
        pts=str(rng.choice([68, 89, 95, 108, 120, 143, 160, 200])),
        price=str(rng.randint(60, 400) * 100),
        wage=rng.choice(["4000-6000", "5000-8000", "4500-7000", "6000-9000", "3500-5000"]),
        yrs=str(rng.randint(1, 20)),
        gb=str(rng.choice([1, 2, 5, 10, 20, 30, 50, 100])),
        big=str(rng.choice([20000, 50000, 100000, 200000, 300000])),
        rate=rng.choice(["3.24", "3.6", "4.5", "5.4", "7.2", "7.3", "9.9"]),
        road=rng.choice(_ROADS),
        road2=rng.choice(_ROADS),
        holiday=rng.choice(_HOLIDAYS),
        sur=rng.choice(_SURNAMES),
        land="0"
        + _d(rng.choice([2, 3]), rng)
        + rng.choice(["-", ""])
        + _d(rng.choice([7, 8]), rng),
        city2=rng.choice(_CITIES),
        bank=rng.choice(_SENDERS["bank"]),
        cents=f"{rng.randint(0, 99):02d}",
    )
    return s


def _join(parts: list[str], rng: random.Random) -> str:
    sep = rng.choices(["，", "！", "。", "；", " ", ""], weights=[10, 2, 4, 1, 1, 0.5])[0]
    out = ""
    for p in parts:
        if not p:
            continue
        if out:
            out += sep if rng.random() < 0.7 else rng.choice(["，", "。", "！"])
        out += p
    return out


def _local_promo(rng: random.Random) -> str:
    """Bulk marketing of shops, salons, estates, schools, employers … in flowing prose."""
    ind = _INDUSTRIES[rng.choice(list(_INDUSTRIES))]
    s = _vslots(rng)
    shop = rng.choice(
        [rng.choice(_NAME_PREFIX), s["city"] + rng.choice(_NAME_PREFIX)]
    ) + rng.choice(ind["suffix"])
    s.update(shop=shop, member=rng.choice(ind["member"]))
    s["gift"] = rng.choice(ind["gift"]).format(**s)
    parts = [rng.choice(_GREET)]
    if rng.random() < 0.6:
        parts.append(rng.choice(_THANKS))
    parts.append(rng.choice(["", "{shop}", "特推出"]) + rng.choice(ind["event"]))
    parts += rng.sample(ind["offer"], k=rng.randint(1, min(3, len(ind["offer"]))))
    for pool, p in ((_GIFT, 0.4), (_COND, 0.35), (_TIME, 0.4), (_PLACE, 0.45), (_CTA, 0.6),
                    (_WISH, 0.25)):  # fmt: skip
        if rng.random() < p:
            parts.append(rng.choice(pool))
    body = _join([p.format(**s) for p in parts], rng)
    body += rng.choice(["。", "！", "~", "", "!"])
    if rng.random() < 0.4:
        body += rng.choice(_OPT_OUT + ["退订回N", "回TD退订", "拒收回复T"])
    r = rng.random()
    if r < 0.45:
        return f"【{shop}】{body}"
    if r < 0.6:
        return f"{body}【{shop}】"
    if r < 0.7:
        return f"{body}——{shop}"
    return body


_TELECOM_MSG = [
    "尊敬的客户，您好！为感谢您长期使用{brand}业务，即日起至{month}月{day}日办理{gb}GB流量包每月仅需{small}元，发送KT{small}到{hotline}即可办理",
    "您好，{brand}彩铃业务上新，每月{small}元畅享热门彩铃，让来电更有个性，回复Y开通，资费详询{hotline}",
    "尊敬的用户，您本月已使用国内通用流量{gb}GB，套餐内剩余流量不足10%，可发送短信CXLL到{hotline}查询",
    "您好，您当前的套餐为{small}元套餐，升级为{m}元融合套餐可享千兆宽带和多张副卡，详询营业厅或拨打{hotline}",
    "尊敬的客户，凭身份证到{brand}营业厅可免费升级5G卡，不换号，当月送{gb}GB流量",
    "您的视频彩铃已开通成功，资费{small}元/月，取消请发送QXCL到{hotline}",
    "您好！您的号码已欠费{small}.{cents}元，为了不影响您的正常使用，请尽快充值",
    "尊敬的客户，您{month}月的话费消费{m}.{cents}元，其中套餐费{small}元，感谢您的使用",
    "温馨提示：您的积分{pts}分可在{brand}app积分商城兑换话费、流量等，兑换请认准官方渠道",
    "您好，您办理的宽带已完成装机，如对装维服务有意见或建议请拨打{hotline}，祝您使用愉快",
]
_BANK_MSG = [
    "您尾号{tail}的账户{month}月{day}日{hh}转账存入{m}.00元，余额{m2}.{cents}元，对方户名：{name}",
    "您尾号{tail}信用卡{month}月{day}日消费{small}.{cents}元（{shop}），可用额度{m2}元",
    "您尾号{tail}信用卡本期账单可申请分期，最高可分24期，每期手续费率低至0.{small2}%，请登录手机银行或回复FQ办理，具体以审批结果为准",
    "尊敬的客户，您的信用卡临时额度已调整为{big}元，有效期至{month}月{day}日，感谢您的使用",
    "您尾号{tail}信用卡已自动还款{m}.{cents}元，感谢您的按时还款",
    "您尾号{tail}的借记卡{month}月{day}日代扣{small}.{cents}元（水电燃气缴费），余额{m2}.{cents}元",
    "尊敬的客户，您有一笔{big}元个人消费贷额度待激活，年化利率{rate}%起（单利），请登录手机银行查看，最终以审批结果为准，请理性借贷",
    "尊敬的客户，您的信用卡年费{small0}元将于下月扣收，当年刷卡满{small}次可免次年年费",
    "您好，您预约的{month}月{day}日{hh}网点业务已受理，请携带本人身份证按时到{bank}{road}支行办理",
    "您尾号{tail}的卡于{hh}取款{small0}.00元，余额{m2}.{cents}元",
    "您的{bank}信用卡已激活成功，首刷任意金额即可获赠积分，详询{hotline}",
    "尊敬的客户，您办理的定期存款已到期，本息合计{m2}.{cents}元已自动转存，感谢您对本行的支持",
    "您尾号{tail}的账户收到跨行汇款{m}元，汇款人{name}，附言：货款",
]
_LENDER = ["招联金融", "马上消费金融", "中银消费金融", "兴业消费金融", "微粒贷", "借呗", "京东金条",
           "360借条", "度小满"]  # fmt: skip
_LENDER_MSG = [
    "尊敬的用户，您的借款额度已更新，最高可借{big}元，年化利率(单利){rate}%起，借款请认准官方app，具体以审批为准",
    "您本期应还{m}.{cents}元，还款日为{month}月{day}日，请确保绑定银行卡余额充足，逾期将影响个人信用",
    "您的借款{m}元已成功放款至尾号{tail}银行卡，请注意查收，还款计划可在app内查看",
    "您已成功还款{m}.{cents}元，本期账单已结清，感谢您的信任",
]
_CODE_MSG = [
    "验证码{code}，5分钟内有效，请勿泄露给他人",
    "【{brand}】验证码：{code}，您正在进行身份验证，打死都不要告诉别人哦！",
    "【{brand}】您的验证码是{code}，有效期{small}分钟。工作人员不会向您索要，请勿泄露",
    "【{brand}】{code}（动态验证码），您正在进行支付，金额{small}.{cents}元，请勿将验证码告知他人",
    "您正在使用手机号登录{brand}，验证码{code}，如非本人操作请忽略本短信",
    "【{brand}】您正在修改登录密码，验证码为{code}，若非本人操作，请立即联系官方客服",
    "{code}是你的{brand}验证码，请于10分钟内填写。如非本人操作，请忽略本短信",
    "【{brand}】验证码{code}，用于绑定银行卡，{small}分钟内有效，切勿告知他人，谨防诈骗",
]
_PARCEL_MSG = [
    "【{courier}】您的快递已到{city}{road}路菜鸟驿站，取件码{pick}，请于{hh}前领取",
    "【丰巢】凭取件码{pick}到{road}小区{small}号柜取件，超时将收取保管费",
    "您好，我是{courier}快递员{sur}师傅，您的包裹放在小区门卫室了，有问题打我电话{phone}",
    "【{courier}】您的包裹已签收，签收人：本人，如有疑问请联系快递员{phone}",
    "【{courier}】您的快件{order}正在派送中，预计今天{hh}前送达，快递员电话{phone}",
    "【{courier}】您寄出的快件已被揽收，运单号{order}，可在官方小程序查看物流",
    "您的{shop}订单商品已到达自提点，提货码{pick}，请携带本人手机到{road}路自提点取货",
    "【{shop}】家电送装提醒：师傅将于{month}月{day}日{hh}上门送货安装，请保持电话畅通",
]
_NOTICE_MSG = [
    "【{city}人民医院】{sur}先生/女士，您预约的{month}月{day}日{hh}{dept}门诊，请携带身份证提前取号",
    "【{city}车管所】您预约的机动车检验时间为{month}月{day}日{hh}，请按时到检测站办理",
    "您好，我是{shop}的客服，您反馈的售后问题已处理完毕，退款{small}.{cents}元已原路退回您的账户，无需您做任何操作",
    "【{shop}】您的退款申请已受理，退款将原路退回支付账户，预计1-3个工作日到账",
    "【{shop}】您的账户已成功绑定新手机号，如非本人操作请通过官方app联系客服",
    "【{city}公积金】您的公积金账户{month}月缴存{m}.00元，余额{m2}.{cents}元",
    "【{city}社保】您{month}月社保已缴费成功，可在官方app查询缴费明细",
    "各位家长好，明天学校组织{event2}，请给孩子准备好水和雨具，下午{hh}放学",
    "【{city}供电】因线路检修，{month}月{day}日{hh}至18:00{road}路一带将停电，请提前做好准备",
    "【{shop}】您的会员积分{pts}分将于本月底过期，请及时到店或登录app使用",
    "【{shop}】您预订的{month}月{day}日{hh}、{small}人桌位已确认，请准时到店，如需改期请来电{land}",
    "【{shop}】您的维修工单已派发，工程师将于{hh}左右上门，请保持电话畅通",
    "【物业服务中心】尊敬的业主，{month}月{day}日将对电梯进行年检，请提前安排出行",
    "【{city}税务】您已完成个人所得税年度汇算，应退税款{small}.{cents}元将退至您指定的银行账户",
    "【{city}交警】您的驾驶证将于{month}月{day}日到期，请在到期前90日内办理换证",
]
_GREETING_MSG = [
    "{holiday}快乐！{shop}全体员工祝您和家人幸福安康，万事如意",
    "值此{holiday}佳节，{bank}恭祝您节日愉快，阖家欢乐",
    "新年好！感谢您过去一年的支持，{shop}祝您新春大吉，身体健康",
    "{sur}总，祝您{holiday}快乐，生意兴隆，感谢一直以来的关照",
    "{holiday}快乐呀，最近忙不忙？有空出来吃饭",
    "亲爱的{member}，今天是您的生日，{shop}祝您生日快乐，本月到店消费可享生日专属优惠",
]
_DEPTS = ["内科", "外科", "口腔科", "儿科", "眼科", "皮肤科", "妇科", "骨科"]


def _service(rng: random.Random) -> str:
    """Service notices and legitimate transactional SMS (codes, bills, parcels, appointments)."""
    s = _vslots(rng)
    kind = rng.choices(["tel", "bank", "lend", "code", "parcel", "notice", "greet"],
                       weights=[2, 3, 1, 2, 2, 3, 1])[0]  # fmt: skip
    ind = _INDUSTRIES[rng.choice(list(_INDUSTRIES))]
    s.update(
        shop=rng.choice(_SENDERS["shop"] + _SENDERS["app"] + [rng.choice(_NAME_PREFIX) +
                        rng.choice(ind["suffix"])]),
        member=rng.choice(["会员", "顾客", "客户"]),
        pick=rng.choice([f"{rng.randint(1, 30)}-{rng.randint(1, 6)}-{_d(4, rng)}", _d(6, rng),
                         f"{rng.choice('ABCDEF')}{_d(3, rng)}"]),
        dept=rng.choice(_DEPTS),
        event2=rng.choice(["春游", "秋游", "运动会", "体检", "研学活动"]),
        small2=str(rng.choice([3, 5, 6, 7, 75])),
    )  # fmt: skip
    if kind == "tel":
        s["brand"] = rng.choice(_SENDERS["telecom"])
        s["hotline"] = rng.choice(_HOTLINES["telecom"])
        body, sign = rng.choice(_TELECOM_MSG), s["brand"]
    elif kind == "bank":
        s["brand"] = s["bank"]
        s["hotline"] = rng.choice(_HOTLINES["bank"])
        body, sign = rng.choice(_BANK_MSG), s["bank"]
    elif kind == "lend":
        body, sign = rng.choice(_LENDER_MSG), rng.choice(_LENDER)
    elif kind == "code":
        s["brand"] = rng.choice(_SENDERS["app"] + _SENDERS["shop"] + _SENDERS["bank"])
        body, sign = rng.choice(_CODE_MSG), s["brand"]
    elif kind == "parcel":
        body, sign = rng.choice(_PARCEL_MSG), ""
    elif kind == "notice":
        body, sign = rng.choice(_NOTICE_MSG), ""
    else:
        body, sign = rng.choice(_GREETING_MSG), ""
    text = body.format(**s)
    text += rng.choice(["。", "", "！"])
    if rng.random() < 0.2:
        text += rng.choice(_OPT_OUT)
    if sign and "【" not in text:
        r = rng.random()
        if r < 0.6:
            text = f"【{sign}】{text}"
        elif r < 0.75:
            text = f"{text}【{sign}】"
    return text


# Fraud as it arrives by SMS, also dressed with a 【signature】 and an opt-out tail, so that neither
# is a shortcut for "normal". The tell is the ask: pay first, private contact, unofficial link,
# screen sharing, secrecy, guaranteed returns.
_FRAUD_SMS: dict[F, list[str]] = {
    F.FAKE_CUSTOMER_SERVICE: [
        "您的积分{pts}分即将清零，可兑换现金{m}元，请登录{url}领取，逾期作废",
        "您购买的商品因仓库原因无法发货，我们将为您办理三倍退款，请添加售后专员QQ{qq}办理",
        "您的快递在分拣时损坏，可获赔偿{m}元，请点击{url}填写收款银行卡和验证码",
        "您开通的会员服务即将按月扣费{m}元，如不需要请联系专员{phone}取消，否则影响征信",
        "您的ETC认证已失效，将影响通行，请点击{url}重新认证并绑定银行卡",
        "您的医保卡已被冻结，请点击{url}登录验证身份后解冻",
        "客服提醒：您的店铺保证金未缴纳，账户将被封禁，请按指引下载{app}共享屏幕处理",
        "您的退款已审核通过，需要您在{url}输入银行卡号、密码和收到的验证码才能到账",
    ],
    F.FAKE_LOAN: [
        "无视征信，黑户白户都能下款，最高{big}元，当天到账，加微信{qq}秒批",
        "您有一笔{big}元贷款额度未领取，零利息，下载{app}即可提现，需先交{m}元会员费",
        "贷款审核通过，因账户流水不足需先转入{m}元刷流水，放款后一并退还",
        "代办大额信用卡，内部渠道包下卡，额度{big}，成功后收取{disc}个点手续费，加QQ{qq}",
    ],
    F.FAKE_INVESTMENT: [
        "恭喜您获得牛股内参资格，加入VIP群，老师每天推荐涨停股，稳赚不赔，加微信{qq}",
        "{plat}新用户注册送{m}元体验金，日收益百分之三，保本保息，随时提现，点击{url}注册",
        "内部消息，某原始股即将上市，现在认购翻十倍，名额仅剩{small}个，速加导师QQ{qq}",
        "数字藏品内部认购，{m}元入场一周回本，已有上千人提现成功，详情加群{qq}",
    ],
    F.SHUADAN: [
        "诚招网络兼职，手机操作，日赚{small0}-{m}元，无需押金，佣金秒结，加QQ{qq}",
        "招聘点赞员，关注一个博主{small}元，做满十单返现，先垫付后返还，加微信{qq}领任务",
    ],
    F.OTHER: [
        "恭喜您的手机号被抽中为{shop}幸运用户，获得{m2}元现金大奖，请先缴纳{m}元公证费后领取，点击{url}",
        "您好，您的{courier}包裹被海关查出违禁物品，需缴纳罚款{m}元，否则将移交公安机关",
        "您已被列入{city}失信人员名单，请立即拨打{phone}处理，否则冻结所有银行账户",
        "免费领取价值{m}元的大礼包，只需支付{small}元运费，点击{url}填写地址和银行卡",
    ],
    F.FAKE_SHOPPING: [
        "厂家直销名牌手表，原价{m2}现价{m}，加微信{qq}先付定金再发货，不支持平台交易",
        "低价出售演唱会门票，内部票源，加微信付全款后发电子票，过时不候",
    ],
    F.IMPERSONATE_ACQUAINTANCE: [
        "我是你老同学{name}，换新号了，现在有急事能不能先借我{m}元，明天就还，别打电话我在开会",
        "{sur}总让你明天上午到他办公室一趟，先加一下他的新微信{qq}",
    ],
    F.IMPERSONATE_AUTHORITY: [
        "您的身份证涉嫌洗钱犯罪，{city}公安局已立案，请立即拨打{phone}配合调查，否则将被强制执行",
        "{city}法院通知：您有一份传票未领取，请按1转人工查询，逾期将被强制执行",
    ],
    F.FAKE_CREDIT: [
        "您的征信存在不良记录，将影响贷款买房，我们可以内部修复征信，费用{m}元，加微信{qq}",
    ],
    F.GAME_TRADE: [
        "游戏账号低价出售，满级全皮肤只要{m}元，私下交易更便宜，加QQ{qq}",
    ],
    F.ROMANCE: [
        "你好，我在{city}做生意，看了你的资料很有好感，想和你交个朋友，加微信{qq}聊聊吧",
    ],
}
_FRAUD_SIGNS = ["中国移动", "中国联通", "招商银行", "工商银行", "京东", "淘宝", "顺丰速运", "ETC服务",
                "医保中心", "积分商城", "交通银行", "建设银行", "中国平安", "拼多多", "快递理赔中心"]  # fmt: skip


_SIGNED_FRAUD = {
    F.FAKE_CUSTOMER_SERVICE,
    F.FAKE_LOAN,
    F.FAKE_INVESTMENT,
    F.SHUADAN,
    F.OTHER,
    F.FAKE_SHOPPING,
    F.FAKE_CREDIT,
    F.GAME_TRADE,
}


def _fraud_sms(ft: F, rng: random.Random) -> str:
    if ft not in _FRAUD_SMS or rng.random() < 0.55:
        return _fraud_prose(ft, rng)
    s = _vslots(rng)
    s["shop"] = rng.choice(_SENDERS["shop"])
    text = rng.choice(_FRAUD_SMS[ft]).format(**s)
    if rng.random() < 0.3:
        text = rng.choice(["尊敬的客户，", "尊敬的用户，", "您好，", "亲，", "温馨提示："]) + text
    text += rng.choice(["。", "", "！"])
    if rng.random() < 0.3:
        text += rng.choice(_OPT_OUT)
    if ft in _SIGNED_FRAUD and rng.random() < 0.45:
        text = f"【{rng.choice(_FRAUD_SIGNS)}】{text}"
    return text


def broad_normal(rng: random.Random) -> str:
    """One normal SMS from the broad generator: local marketing (60 %) or a service notice."""
    return _local_promo(rng) if rng.random() < 0.55 else _service(rng)


# Fraud in the polite, long-winded prose of scripted callers and chat scammers: a claimed identity,
# a pretext, the ask (download, screen share, private chat, pay first, transfer) and pressure.
# Added with the broad normal corpus so that courteous corporate tone alone does not mean normal.
_PROSE_WHO: dict[F, list[str]] = {
    F.FAKE_CUSTOMER_SERVICE: ["{shop}客服", "{shop}售后专员", "{courier}理赔专员", "{shop}平台客服中心的工作人员",
                              "{shop}官方客服代表", "支付平台的客户服务代表"],
    F.FAKE_LOAN: ["{lender}的客服", "{co}金融贷款部的工作人员", "一家正规贷款公司的信贷经理",
                  "{lender}的审核专员", "银行信贷中心的客户经理"],
    F.FAKE_CREDIT: ["{lender}的客服", "征信中心的工作人员", "银保监会的工作人员", "{shop}金融的客服"],
    F.FAKE_INVESTMENT: ["{co}财富的投资顾问", "某证券公司的助理", "{plat}平台的客户经理", "投资群的助教老师"],
    F.IMPERSONATE_ACQUAINTANCE: ["你的老同学{name}", "公司{sur}总", "你领导{sur}经理", "你表姐",
                                 "你老家的朋友", "{co}公司的人事主管"],
    F.IMPERSONATE_AUTHORITY: ["{city}公安局的民警", "{city}市检察院的工作人员", "{city}卫健委的工作人员",
                              "{city}社保中心的工作人员"],
    F.SHUADAN: ["{co}电商运营部的招聘专员", "一家网店的任务派单员", "{co}传媒的兼职招聘负责人"],
    F.OTHER: ["{shop}周年庆活动组委会", "{city}海关的工作人员", "{courier}的工作人员", "节目组的工作人员"],
    F.IMPERSONATE_MILITARY: ["{city}武警支队的采购员", "部队后勤处的{sur}参谋", "{co}单位的行政负责人"],
    F.FAKE_SHOPPING: ["一家代购店的店主", "{co}工厂的销售经理"],
    F.ROMANCE: ["你在交友软件上认识的{name}", "在国外工作的工程师"],
    F.GAME_TRADE: ["游戏交易平台的客服", "一位出售游戏账号的玩家"],
}  # fmt: skip
_PROSE_PRETEXT: dict[F, list[str]] = {
    F.FAKE_CUSTOMER_SERVICE: [
        "我们注意到您的账户存在异常，需要立即处理，否则将被注销",
        "您之前购买的商品被检测出质量问题，我们将为您办理退款理赔",
        "系统误将您的账号设置成了代理商身份，每月会自动扣除费用",
        "您的包裹在运输途中因防疫检查被滞留，需要您配合处理",
        "作为平台的老客户，您获得了免费赠送的礼品，需要确认收货信息",
        "您开通的会员服务即将到期，会自动从您的银行卡扣除年费",
    ],
    F.FAKE_LOAN: [
        "您在网上提交的贷款申请已经审核通过，额度为{big}元",
        "我们为您匹配了一笔无抵押低利率的贷款，当天就能到账",
        "您的借款账户利率过高，需要按照最新规定进行调整",
        "您的贷款因为银行卡信息填写错误被系统冻结",
        "根据您的信用评估结果，您可以申请一笔大额信用贷款",
        "请问您最近有资金需求吗？我们可以提供快速便捷的借款服务",
        "我们公司推出了一款低利率、审批快的借款产品，额度高，手续简单",
        "只需要身份证就能申请，不看征信，最快十分钟到账",
        "您是我们的优质客户，可以免审核领取一笔备用金",
    ],
    F.FAKE_CREDIT: [
        "您大学期间开通的校园贷账户还没有注销，会影响个人征信",
        "您名下有一笔逾期记录，我们可以帮您消除不良征信",
        "根据国家规定，学生账户必须注销，否则会产生不良记录",
    ],
    F.FAKE_INVESTMENT: [
        "我们的平台有专业老师每天分析行情，跟着操作收益很稳定",
        "现在有一个内部投资项目，保本保息，回报率远超银行理财",
        "最近有一波大行情，我们的会员上周收益都翻了一倍",
    ],
    F.IMPERSONATE_ACQUAINTANCE: [
        "我换了新号码，之前的号不用了",
        "我现在在外地开会，不方便接电话",
        "我在国外回不来，信用卡额度不够，机票钱付不了",
        "我看到了你投递的简历，你符合我们的岗位要求",
        "我们单位下周要在你们店里订{small}桌酒席，顺便需要一批好酒",
        "好久不见，最近怎么样？我这边遇到点急事",
        "我手机出了问题，这个是我的新号，你存一下",
        "我是你孩子的班主任，学校要收一笔资料费",
        "我在医院陪家人看病，身上的钱不够了",
        "我这边有个客户需要打款，但我的卡限额了",
    ],
    F.IMPERSONATE_AUTHORITY: [
        "你的身份信息被人冒用，涉嫌一起洗钱案件",
        "你的医保卡在外地被违规使用，已经移交警方处理",
        "你名下有一张银行卡涉及非法资金往来",
    ],
    F.SHUADAN: [
        "我们在招聘线上兼职，每天只需要花一两个小时，在家就能做",
        "做任务就能拿佣金，前几单都会马上返还本金和收益",
    ],
    F.OTHER: [
        "恭喜您在我们的活动中被抽中一等奖，奖品价值{m2}元",
        "您的包裹里查出违禁物品，已被依法扣押",
        "您的孩子在学校出了意外，正在医院抢救",
    ],
    F.IMPERSONATE_MILITARY: [
        "我们部队需要采购一批物资，看中了你们的产品",
        "单位要给职工发福利，需要订购一批货",
    ],
    F.FAKE_SHOPPING: ["我们有一批内部渠道的名牌商品，价格只有专柜的三成"],
    F.ROMANCE: ["认识你这么久了，我是真心想和你在一起", "我在国外工作，马上就要回国和你见面了"],
    F.GAME_TRADE: ["你想要的那个满级账号我可以便宜出给你", "你的账号交易资金被平台冻结了"],
}
_PROSE_ASK: dict[F, list[str]] = {
    F.FAKE_CUSTOMER_SERVICE: ["请您下载{app}并开启屏幕共享，我一步步指导您操作",
                              "请添加我们客服专员的微信{qq}，方便进一步沟通",
                              "请把您收到的验证码告诉我，我帮您取消扣费",
                              "需要您在借款平台借出一笔钱转入指定账户核验资金",
                              "请点击{url}填写银行卡号和密码完成退款"],
    F.FAKE_LOAN: ["请下载我们的专属借款APP完成实名认证", "如有需要请添加我的微信{qq}，我给您发申请链接",
                  "请告诉我您的具体需求，我通过微信帮您办理", "回复1即可为您安排专员办理",
                  "点击{url}下载APP填写资料即可申请", "放款前需要先缴纳{m}元保证金证明还款能力",
                  "需要先交{m}元解冻费，放款后一起退还", "请添加信贷经理微信{qq}，按我的指示填写资料",
                  "请先往指定账户转入{m}元刷一下银行流水"],
    F.FAKE_CREDIT: ["请下载{app}开启屏幕共享配合注销", "需要把各个平台的额度借出来转到指定账户清零",
                    "请按照我的指示把资金转入监管账户"],
    F.FAKE_INVESTMENT: ["请添加老师微信{qq}进群学习", "先充值{m}元体验一下，收益随时可以提现",
                        "请下载{plat}的APP注册账户，我带您操作"],
    F.IMPERSONATE_ACQUAINTANCE: ["你先帮我转{m2}元给对方，回头我还你", "先加我新微信{qq}，有事跟你说",
                                 "能不能帮我先垫付一下，我明天就把钱转给你",
                                 "酒要从我们指定的供应商那里进，麻烦你先帮忙联系付款",
                                 "请添加接待员微信{qq}，先完成几个关注和转账的小任务",
                                 "把钱转到这个账户就行，户名是我朋友的，别打电话，我在开会",
                                 "你先帮我付一下，我已经把钱转你了，截图发你微信，24小时到账",
                                 "明天来我办公室一趟，先把这笔款打给对方"],
    F.IMPERSONATE_AUTHORITY: ["需要你把资金转入安全账户配合核查", "此事需要严格保密，请下载{app}接受视频笔录",
                              "请立即拨打{phone}联系办案民警"],
    F.SHUADAN: ["先垫付{m}元完成第一单，佣金马上返还", "请添加派单员QQ{qq}领取任务"],
    F.OTHER: ["领奖前需要先缴纳{m}元手续费和税费", "需要缴纳{m}元罚款才能免于追责",
              "请马上转{m2}元手术费到这个账户"],
    F.IMPERSONATE_MILITARY: ["需要你们先垫付{m2}元向指定厂家采购，货到后统一结算",
                             "签合同前要先交{m}元保证金"],
    F.FAKE_SHOPPING: ["先付{m}元定金，我们马上安排发货", "不走平台交易，直接转账给我更便宜"],
    F.ROMANCE: ["你先帮我在这个平台充值{m}元，赚了钱我们一起用", "我需要{m2}元清关费，你先帮我转一下"],
    F.GAME_TRADE: ["先交{m}元保证金才能解冻提现", "我们私下交易，你直接转账给我"],
}  # fmt: skip
_PROSE_PRESSURE = ["否则会影响您的个人征信", "如果不及时处理，账户将被冻结", "今天之内必须办理",
                   "这件事请不要告诉其他人", "名额有限，错过就没有了", "逾期将产生严重后果",
                   "请尽快回复", ""]  # fmt: skip
_PROSE_OPEN = ["您好，", "尊敬的用户，您好！", "尊敬的客户您好，", "你好，", "喂，", "", "亲，"]
_PROSE_CLOSE = [
    "感谢您的配合",
    "祝您生活愉快",
    "期待您的回复",
    "谢谢合作",
    "有任何问题随时联系我",
    "",
]
_LENDER_FAKE = ["某某金融", "速借宝", "闪电贷", "易借花", "诚信金融"]
_CO = ["华信", "鼎盛", "汇通", "恒达", "宏远", "中科", "金诚", "天成"]


def _fraud_prose(ft: F, rng: random.Random) -> str:
    s = _vslots(rng)
    s.update(shop=rng.choice(_SENDERS["shop"] + ["快手", "抖音", "支付宝", "微信支付"]),
             lender=rng.choice(_LENDER + _LENDER_FAKE), co=rng.choice(_CO))  # fmt: skip
    parts = [
        rng.choice(_PROSE_OPEN)
        + rng.choice(["我是", "我们是", "这里是"])
        + rng.choice(_PROSE_WHO[ft])
    ]
    parts += rng.sample(_PROSE_PRETEXT[ft], k=min(len(_PROSE_PRETEXT[ft]), rng.choice([1, 1, 2])))
    if rng.random() < 0.5:
        parts.append(rng.choice(["为了更好地为您服务", "为了保障您的权益", "为了尽快帮您解决问题",
                                 "为确保资金安全", "为了方便沟通"]))  # fmt: skip
    parts.append(rng.choice(_PROSE_ASK[ft]))
    if rng.random() < 0.6:
        parts.append(rng.choice(_PROSE_PRESSURE))
    if rng.random() < 0.5:
        parts.append(rng.choice(_PROSE_CLOSE))
    return _join([p.format(**s) for p in parts if p], rng) + rng.choice(["。", "！", "", "~"])


# Long formal notices (公告/通知 with numbered points), on both sides: legitimate ones point to
# official channels (app, 营业厅, 网点, hotline); fraudulent ones ask for a private chat, a
# non-store app, a form with card number/password/code, or a fee/transfer before a deadline.
# Anti-fraud warnings are kept out of the normal side: char n-grams cannot read "不会要求您转账".
_NOTICE_NORMAL: list[tuple[str, list[str]]] = [
    ("关于{month}月{day}日系统升级维护的公告", [
        "为提升服务质量，本行将于{month}月{day}日00:00至06:00进行系统升级",
        "升级期间手机银行、网上银行暂停服务，柜面及ATM取款不受影响",
        "请您提前安排好资金使用，由此带来的不便敬请谅解",
        "如有疑问，请致电{hotline}或咨询就近网点"]),
    ("关于调整部分资费套餐的通知", [
        "自{month}月{day}日起，我公司对部分老套餐进行优化调整，原套餐用户可继续使用",
        "新套餐月费{small}元起，含通用流量{gb}GB，可在营业厅或官方app办理",
        "办理前请仔细阅读资费说明，详询{hotline}"]),
    ("{month}月会员日活动细则", [
        "活动时间：{month}月{day}日10:00-22:00",
        "活动期间会员到店消费满{m}元可享{disc}折优惠，积分双倍累计",
        "会员卡余额及积分可在官方小程序查询",
        "本活动不与其他优惠同享，详情请咨询门店工作人员"]),
    ("停水通知", [
        "因市政管网改造，{month}月{day}日8:00至20:00{road}路片区将暂停供水",
        "请各位居民提前做好储水准备，恢复供水初期水质可能浑浊，请放水片刻后使用",
        "如有疑问请拨打供水服务热线{land}"]),
    ("{holiday}放假通知", [
        "根据上级安排，我校{holiday}放假时间为{month}月{day}日至{month2}月{day2}日",
        "请家长做好孩子假期安全教育，注意防溺水、交通安全",
        "返校时请按时到校，作业完成情况将在开学第一周检查"]),
    ("城乡居民医疗保险缴费通知", [
        "{month2}年度城乡居民医保集中缴费期为即日起至{month}月底",
        "可通过税务局官方app、微信小程序或银行网点缴纳，个人缴费标准以当地公告为准",
        "请勿通过不明链接或个人账户缴费，详询12345"]),
    ("物业服务通知", [
        "尊敬的业主：小区将于{month}月{day}日对{small}号楼进行外墙清洗",
        "施工期间请关好门窗，收好阳台晾晒物品",
        "物业费可在物业app或物业服务中心前台缴纳，服务电话{land}"]),
    ("信用卡服务条款调整公告", [
        "为更好地服务持卡人，本行将于{month}月{day}日起调整部分积分规则",
        "调整后每消费20元累计1分，积分有效期延长至{small}年",
        "详细条款请登录官方app查看，或致电客服热线{hotline}"]),
    ("快递服务提醒", [
        "受天气影响，{city}方向快件预计延误1-2天",
        "您可在官方app或小程序实时查看物流轨迹，给您带来不便深表歉意",
        "如需改派或退回，请在官方app内提交申请"]),
]  # fmt: skip
_NOTICE_FRAUD: list[tuple[F, str, list[str]]] = [
    (F.FAKE_INVESTMENT, "{co}证券客户服务公告", [
        "我司诚邀您加入股票投资交流群，资深分析师每日免费分享涨停牛股",
        "入群方式：请添加客服专员微信{qq}，备注“学习”，审核通过后拉您入群",
        "入群后请下载指定交易APP，按老师指导充值入金，收益保底，亏损由平台承担",
        "名额仅剩{small}个，请于今日内完成报名"]),
    (F.FAKE_CUSTOMER_SERVICE, "关于订单异常退款的通知", [
        "您在{shop}购买的商品因质量问题已被召回，平台将为您办理三倍理赔",
        "第一步：点击{url}进入理赔页面，填写银行卡号、密码及手机号",
        "第二步：将收到的短信验证码告知理赔专员，以便核实身份",
        "理赔需在{small}小时内完成，逾期视为自动放弃"]),
    (F.FAKE_CREDIT, "关于注销学生账户的通知", [
        "根据最新监管规定，在校期间开通的网贷学生账户须全部注销，否则将影响个人征信",
        "请下载{app}并开启屏幕共享，由工作人员指导操作",
        "注销前需将各平台可借额度借出并转入指定监管账户进行清零，核查后原路退回",
        "逾期未处理的，将上报征信系统"]),
    (F.OTHER, "关于发放{month}月个人补贴的通知", [
        "根据人社部门最新政策，您可领取个人补贴{m}元",
        "请于{day}日前点击{url}登记姓名、身份证号、银行卡号及密码",
        "补贴发放前需缴纳{small}元手续费，逾期视为放弃",
        "本通知不公开张贴，请勿转发"]),
    (F.FAKE_LOAN, "贷款审批结果通知", [
        "您申请的个人信用贷款{big}元已审批通过，年化利率低至{rate}%",
        "放款前请缴纳{m}元保证金用于验证还款能力，放款后随本金一并退还",
        "请添加放款专员QQ{qq}，并下载{lender}APP完成签约",
        "如未在今日内办理，额度将自动作废"]),
    (F.IMPERSONATE_AUTHORITY, "{city}公安局协查通知", [
        "经查，您的身份信息涉嫌一起跨境洗钱案件，现需配合资金清查",
        "请立即下载{app}接受视频笔录，全程保密，不得告知家人",
        "请将名下资金转入指定安全账户，核查无误后全额退还",
        "拒不配合者将依法冻结名下全部银行账户"]),
    (F.SHUADAN, "{co}电商兼职招募公告", [
        "现招募线上兼职人员，手机操作，时间自由，日结佣金{small0}-{m}元",
        "报名请添加派单员微信{qq}，按指引下载任务APP",
        "首单需垫付{m}元，完成后返还本金及佣金，多做多得",
        "名额有限，额满即止"]),
    (F.OTHER, "{shop}周年庆中奖通知", [
        "恭喜您的手机号在周年庆活动中被抽中二等奖，奖品为现金{m2}元及笔记本电脑一台",
        "领奖请点击{url}填写个人信息和收款银行卡",
        "根据规定需先缴纳{m}元个人所得税及公证费，缴纳后奖品立即寄出",
        "逾期未领取视为自动放弃"]),
]  # fmt: skip


def _numbered(items: list[str], rng: random.Random) -> str:
    style = rng.choice(["cn", "num", "plain"])
    if style == "cn":
        nums = "一二三四五六"
        return "".join(f"{nums[i]}、{t}。" for i, t in enumerate(items))
    if style == "num":
        return "".join(f"{i + 1}.{t}；" for i, t in enumerate(items))
    return "。".join(items) + "。"


def _formal(rng: random.Random, fraud: bool) -> tuple[str, str]:
    s = _vslots(rng)
    s.update(shop=rng.choice(_SENDERS["shop"]), co=rng.choice(_CO),
             lender=rng.choice(_LENDER_FAKE), hotline=rng.choice(["95588", "10086", "95533", "10010"]))  # fmt: skip
    if fraud:
        ft, title, items = rng.choice(_NOTICE_FRAUD)
        label = ft.value
    else:
        title, items = rng.choice(_NOTICE_NORMAL)
        label = NORMAL
    opening = rng.choice(
        ["尊敬的客户：", "尊敬的用户，您好！", "各位业主：", "尊敬的家长：", "您好：", ""]
    )
    body = _numbered([t.format(**s) for t in items], rng)
    sep = rng.choice(["\n", " ", "", "\n\n"])
    text = f"{title.format(**s)}{sep}{opening}{body}"
    if rng.random() < 0.5:
        text += f"{sep}{rng.choice(['特此通知', '特此公告', '感谢您的支持与配合', '谢谢'])}。"
    return text, label


# ---- Long formal letters and e-mails (v4) ------------------------------------------------------
# Revised after the v3 model caught only 6.5 % of long (~750 characters), formal, polite fraud
# written as e-mails, notices and letters in an external evaluation set. Written from general
# knowledge of such scams; no evaluation text was copied, paraphrased or imitated. Both sides share
# the same frame (greeting, reference number, polite context, closing, signature, date) so that
# formality, length and politeness cannot decide: the fraud signal is in the ask (link, log-in,
# card/password/code/ID, fee or tax first, transfer, app from a link, secrecy, deadline). The normal
# side points to official channels without quoting those asks (char n-grams cannot read negation).
_L_GREET = ["尊敬的{sur}先生/女士：", "尊敬的客户：", "尊敬的用户，您好！", "亲爱的{sur}先生：",
            "亲爱的{sur}女士：", "尊敬的{sur}{title}：", "您好：", "尊敬的会员：", "亲爱的用户：",
            "尊敬的{sur}女士，您好！", "Dear {sur}先生：", "各位同事："]  # fmt: skip
_L_TITLE = ["经理", "老师", "总", "先生", "女士", "同学"]
_L_OPEN = [
    "首先感谢您长期以来对我们工作的信任与支持。",
    "感谢您一直以来对{org}的关注与厚爱，我们始终致力于为您提供更加优质、便捷的服务。",
    "冒昧来信打扰，还望见谅。",
    "希望这封邮件送达时您一切安好。",
    "我们谨代表{org}全体员工向您致以诚挚的问候。",
    "感谢您在百忙之中阅读本邮件。",
    "值此{holiday}来临之际，谨向您及家人致以节日的祝福。",
    "根据我们的记录，您是{org}的重要客户之一。",
    "为进一步提升服务质量，我们近期对相关业务进行了梳理。",
    "很高兴再次与您取得联系。",
]  # fmt: skip
_L_CLOSE = [
    "如有任何疑问，欢迎随时与我们联系。再次感谢您的理解与支持！",
    "感谢您的耐心阅读与配合，祝您工作顺利，生活愉快！",
    "再次感谢您对我们的信任，期待与您继续合作。",
    "给您带来的不便，我们深表歉意，敬请谅解。",
    "祝您身体健康，万事如意！",
    "此致\n敬礼！",
    "顺颂商祺！",
    "期待您的回复，祝好。",
    "谢谢您的支持与配合。",
]  # fmt: skip
# Shared filler on both sides: company blurbs and e-mail footers make letters long without
# carrying a label.
_L_ABOUT = [
    "{org}成立于{year0}年，总部位于{city}，经过多年的发展，业务已覆盖全国{small}个省市，累计服务客户超过千万人次。",
    "多年来，我们始终坚持“客户至上、诚信经营”的理念，不断完善服务体系，努力为每一位客户创造价值。",
    "在过去的一年里，在您和广大客户的支持下，我们取得了长足的进步，各项业务保持稳步增长。",
    "我们深知，每一位客户的信任都来之不易，因此我们始终把服务质量放在首位。",
    "近年来，随着业务规模的不断扩大，我们持续加大在技术研发和服务网点建设方面的投入。",
    "为了给您带来更好的体验，我们对服务流程进行了全面优化，办理时间大幅缩短。",
]  # fmt: skip
_L_FOOT = [
    "本邮件及其附件可能含有保密信息，仅供指定收件人使用。如您误收本邮件，请立即删除。",
    "本邮件由系统自动发送，如您已处理相关事项，请忽略本邮件。",
    "温馨提示：请妥善保管本邮件，以备日后查询。",
    "如您不希望再收到此类邮件，可在个人设置中修改订阅选项。",
    "",
]  # fmt: skip
_L_DEPT = ["客户服务中心", "账户安全部", "会员服务部", "人力资源部", "综合管理部", "运营中心",
           "财务部", "市场部", "办公室", "风险管理部", "客户关系部", "行政部"]  # fmt: skip
_L_REF = ["编号：{refa}", "参考编号：{refa}", "文号：{orgs}〔{year}〕{small}号", "案件编号：{refa}",
          "通知编号：{refa}", "邮件编号：{refa}", "订单号：{refa}", "申请编号：{refa}", ""]  # fmt: skip
_L_ORG = ["{bank}", "{shop}", "{courier}", "{co}科技有限公司", "{co}集团", "{co}投资管理有限公司",
          "{co}人力资源服务有限公司", "{city}{co}物业服务有限公司", "{co}保险", "{co}国际物流"]  # fmt: skip

# Fraud letters: (type, subject, pretext paragraphs, ask paragraphs). Each letter draws 1-2
# pretexts and 2-3 asks.
_L_FRAUD: list[tuple[F, str, list[str], list[str]]] = [
    (F.FAKE_CUSTOMER_SERVICE, "账户安全验证通知", [
        "我们的系统检测到您的账户于{month}月{day}日在异地设备上存在异常登录行为，为保障您的资金安全，账户已被临时限制部分功能。",
        "根据最新的监管要求，所有用户须在规定期限内完成账户实名信息的重新验证，未完成验证的账户将被暂停服务。",
        "由于系统升级，您账户中的部分信息未能同步，可能导致后续交易失败或资金无法到账。",
    ], [
        "请您点击以下链接登录账户安全中心完成验证：{url}，按页面提示填写银行卡号、有效期、取款密码及手机号。",
        "验证过程中您将收到一条短信验证码，请将验证码填写至页面或回复本邮件，以便我们核实您的身份。",
        "请务必在收到本邮件后24小时内完成验证，逾期未完成的账户将被永久冻结，账户内资金将无法取出。",
        "为保障验证顺利，请勿通过其他渠道查询，本次验证仅限通过上述链接办理。",
        "请登录{url}，输入您的登录名、登录密码和支付密码进行身份确认。",
    ]),
    (F.OTHER, "中奖通知书", [
        "恭喜您！在{org}举办的周年庆客户回馈抽奖活动中，您的账号经电脑随机抽取，荣获二等奖，奖金为人民币{m2}元及苹果笔记本电脑一台。",
        "经公证处公证，本次活动共抽取幸运客户{small}名，您是其中之一，奖品已为您预留。",
        "您在本平台的消费记录被选为年度幸运用户，可获得价值{m2}元的大奖。",
    ], [
        "根据国家相关规定，领取奖金前需由中奖人先行缴纳个人所得税及公证费共计{m}元，请将款项汇至以下指定账户：{acct}，户名：{name}。",
        "请您点击{url}填写领奖登记表，包括姓名、身份证号码、银行卡号及开户行，以便财务部门为您发放奖金。",
        "请于{month}月{day}日前完成领奖手续，逾期视为自动放弃。",
        "为防止他人冒领，请对本次中奖信息严格保密，切勿告知他人。",
        "如需咨询，请添加领奖专员微信{qq}，工作人员将一对一指导您办理。",
    ]),
    (F.OTHER, "个人所得税退税通知", [
        "经核查，您在{year}年度多缴纳个人所得税{m}元，根据相关政策，您有资格申请退税。",
        "根据税务系统比对结果，您的退税申请已审核通过，退税金额为{m}元，待您确认收款信息后即可发放。",
    ], [
        "请在{small}个工作日内点击{url}登录退税系统，填写银行卡号、预留手机号及交易密码以完成退税。",
        "提交后系统将发送验证码至您的手机，请输入验证码完成确认，退税款将在24小时内到账。",
        "如逾期未办理，退税资格将被自动取消，款项将上缴国库。",
        "办理退税前需先缴纳{small0}元的手续费，请转账至税务代收账户{acct}。",
    ]),
    (F.FAKE_CUSTOMER_SERVICE, "海关包裹清关缴费通知", [
        "您有一件来自境外的国际包裹（运单号：{refa}）目前滞留在{city}海关，因申报价值超出免税额度，需补缴关税后方可放行。",
        "您的包裹在派送过程中因地址信息不完整已被退回转运中心，需重新确认信息并支付补充运费。",
    ], [
        "请于{small}日内点击链接{url}在线补缴关税及仓储费共计{m}元，逾期包裹将被退回或销毁。",
        "请在支付页面填写银行卡号、有效期及背面三位安全码，支付完成后包裹将于次日安排派送。",
        "如您不方便在线支付，也可将费用转账至清关代理账户{acct}，并将转账截图发送至本邮箱。",
        "请下载{app}与清关专员联系，专员将为您办理加急放行。",
    ]),
    (F.SHUADAN, "录用通知书", [
        "感谢您对{org}的关注。经过简历筛选，我们很高兴地通知您，您已被录用为我司线上兼职专员，工作时间自由，日薪{small0}-{m}元，周结或日结。",
        "我司现面向社会招聘居家办公人员，无需经验，岗位职责为协助商家提升店铺销量及好评率。",
    ], [
        "入职前请先缴纳培训费及工牌押金{m}元，转账至公司财务账户{acct}，入职满一个月后全额退还。",
        "请添加入职专员QQ{qq}并下载工作APP：{url}，按照派单员的指引完成首单任务，首单需自行垫付货款{m}元，完成后连同佣金一并返还。",
        "请于三日内将身份证正反面照片、银行卡号及手机号发送至本邮箱，用于办理入职手续和工资发放。",
        "名额有限，请于{month}月{day}日前完成报到手续，逾期名额将转给其他候选人。",
    ]),
    (F.FAKE_INVESTMENT, "诚邀您参加专属投资计划", [
        "{org}是一家专注于数字资产与跨境投资的金融机构，拥有专业的分析师团队，近三年平均年化收益率超过{small}0%。",
        "本期我们推出面向VIP客户的内部理财计划，保本保息，稳赚不赔，每日收益可随时提现。",
        "我们的首席分析师将带领您把握本轮行情，已有上千名会员通过本计划实现财务自由。",
    ], [
        "请点击{url}下载专属交易APP并注册账户，首次充值{m}元即可获得新人体验金。",
        "请添加投资顾问微信{qq}，加入内部交流群，按照老师的指导操作入金，收益由平台保底。",
        "本计划名额仅剩{small}个，请于今日内完成注册与入金，错过本期需等待半年。",
        "此为内部渠道，请勿向外人透露，以免影响您的收益。",
    ]),
    (F.IMPERSONATE_AUTHORITY, "协查通知书", [
        "经{city}市公安局调查，您的身份信息涉嫌被他人冒用开设银行账户，参与一起跨境洗钱案件（{refa}），涉案金额{big}元。",
        "根据检察机关的工作安排，现对涉案人员名下资产进行核查，您已被列为重点核查对象。",
        "您名下的社保卡/医保卡涉嫌违规套现，相关部门已对您立案调查。",
    ], [
        "请您在收到本通知后立即点击{url}查看通缉令及冻结令，并下载{app}配合办案人员进行视频笔录。",
        "为证明您的清白，请将名下全部资金转入国家安全账户{acct}进行资金清查，核查无误后将全额退还。",
        "本案属于机密案件，调查期间不得向任何人透露，包括家人及银行工作人员，否则将以泄露案情追究法律责任。",
        "请于今日18:00前完成配合，逾期将依法冻结您名下全部银行账户并实施拘传。",
    ]),
    (F.ROMANCE, "写给你的一封信", [
        "亲爱的，自从那天在网上认识你，我每天都在想你。我是一名在海外工作的工程师，合同明年就结束了，到时候我就回国和你在一起。",
        "我们已经聊了三个月了，我真的觉得你就是我一直在等的那个人，我想和你共度余生。",
        "我给你寄了一份礼物，里面有首饰和一些现金，希望你喜欢。",
    ], [
        "现在包裹被海关扣下了，需要缴纳{m}元的清关费，我这边的账户暂时被冻结，你能先帮我把钱转到这个账户吗：{acct}。等我回国加倍还给你。",
        "我舅舅在一个投资平台做内部数据，稳赚不赔，你先在{url}注册充值{m}元，我们一起为将来攒钱。",
        "这件事请不要告诉你的家人，他们不会理解我们的感情。",
        "请尽快处理，明天就过期了，包裹会被退回。",
    ]),
    (F.FAKE_CUSTOMER_SERVICE, "关于会员自动续费的通知", [
        "您于{year}年开通的{org}百万保障服务/会员服务即将到期，系统将自动从您的账户中每月扣除{m}元费用。",
        "由于工作人员操作失误，您被误设为代理商身份，每月将产生{m}元的代理费用。",
    ], [
        "如需取消，请点击{url}登录关闭页面，填写银行卡号及支付密码完成验证。",
        "为避免继续扣费，请下载{app}并开启屏幕共享，客服专员将远程协助您关闭服务。",
        "关闭过程中您将收到验证码，请告知专员以完成核验。",
        "请于今日内处理，否则扣费将无法退还。",
    ]),
    (F.FAKE_LOAN, "贷款审批结果通知函", [
        "您在我司申请的个人信用贷款{big}元已审批通过，年化利率低至{rate}%，最长可分36期还款，无需抵押。",
        "根据您的信用记录，您已获得{org}的预授信额度{big}元，可随借随还。",
    ], [
        "因您的银行卡号填写错误，资金已被冻结，请先转账{m}元解冻金至{acct}以验证还款能力，解冻后与贷款一并退还。",
        "放款前需缴纳{m}元保证金及会员费，请于今日内转入公司对公账户。",
        "请下载{app}并添加放款专员QQ{qq}完成签约，签约时需提供银行卡密码及验证码。",
        "逾期未办理的，额度将自动作废并影响您的信用评分。",
    ]),
    (F.FAKE_CREDIT, "征信异常处理通知", [
        "经系统核查，您在大学期间开通的校园贷账户至今未注销，根据最新政策，该类账户须统一注销，否则将影响您的个人征信。",
        "您名下存在一笔逾期记录，已被上报至征信系统，将对您今后的贷款、出行产生严重影响。",
    ], [
        "请添加专员微信{qq}并下载{app}，开启屏幕共享后由工作人员指导您修复征信。",
        "注销前需将各平台可借额度全部借出并转入指定监管账户{acct}进行清零，核查后原路退回。",
        "请于{small}日内办理，逾期将永久记入征信黑名单。",
    ]),
    (F.IMPERSONATE_ACQUAINTANCE, "紧急事项", [
        "我是{sur}总，现在在外地开会，手机不方便接听电话，有一件紧急的事需要你帮忙处理。",
        "公司与合作方有一笔合同款今天必须支付，财务那边流程来不及走。",
    ], [
        "请你先从公司账户转{big}元到对方账户{acct}，户名{name}，合同我回来后再补签。",
        "此事涉及商业机密，请不要告诉其他同事，办完后把转账截图发给我。",
        "对方催得很急，请在半小时内办好。",
    ]),
]  # fmt: skip

# Normal letters: (subject, body paragraphs, channel paragraphs). Same themes as above, done the
# legitimate way: information, official app / counter / hotline, no asks for secrets or money first.
_L_NORMAL: list[tuple[str, list[str], list[str]]] = [
    ("账户登录提醒", [
        "您的账户于{month}月{day}日{hh}:{mm}在一台新设备上完成登录，登录地点为{city}。",
        "如果是您本人操作，请忽略本邮件，无需进行任何处理。",
        "我们近期上线了设备管理功能，您可以查看最近登录过的设备，并对不常用的设备进行移除。",
    ], [
        "如非本人操作，请您自行打开官方APP，进入“我的-设置-账户安全”修改登录信息，或拨打客服热线{hotline}咨询。",
        "本邮件由系统自动发送，请勿直接回复。",
    ]),
    ("会员积分活动开奖结果公示", [
        "{org}{month}月会员积分抽奖活动已于{month}月{day}日圆满结束，感谢广大会员的热情参与。",
        "本次活动共产生一等奖{small}名、二等奖{small}名，获奖名单已在官方APP活动页面公示，奖品将随您的下一笔订单一同配送。",
        "未中奖的会员将获得{small}元无门槛优惠券一张，已自动发放至您的账户，有效期30天。",
    ], [
        "您可在官方APP“我的-卡券”中查看，如有疑问请联系在线客服。",
        "活动最终解释权以活动页面公布的规则为准。",
    ]),
    ("个人所得税年度汇算提醒", [
        "{year}年度个人所得税综合所得汇算清缴办理时间为{month2}月1日至6月30日。",
        "纳税人可通过国家税务总局个人所得税APP或自然人电子税务局网站自行办理，也可委托扣缴单位代为办理。",
        "为避免集中办理造成拥堵，税务机关将按照预约顺序安排办理，预约可在个人所得税APP首页进行。",
    ], [
        "有退税的，款项由国库直接退至您在个人所得税APP中登记的本人账户，全程无需缴纳任何费用。",
        "如有疑问，可拨打12366纳税服务热线或前往办税服务厅咨询。",
    ]),
    ("包裹清关进度通知", [
        "您从海外购买的商品（运单号：{refa}）已于{month}月{day}日顺利完成清关，目前正在转运至{city}分拨中心。",
        "预计{small}个工作日内由{courier}为您派送，派送前快递员将与您电话联系。",
        "本次订单的税费已在下单时由平台代征代缴，签收时无需另行支付。",
    ], [
        "您可在下单平台的订单详情页或{courier}官方APP查看物流轨迹。",
        "如需修改收货时间，可在官方APP内提交申请。",
    ]),
    ("录用通知", [
        "感谢您参加我司{position}岗位的招聘面试。经综合评估，我们很高兴地通知您，您已被正式录用。",
        "您的试用期为3个月，试用期月薪为{wage}元，转正后根据考核结果调整，公司依法为您缴纳五险一金。",
        "请您于{month}月{day}日上午9:00到公司人力资源部报到，报到地址：{city}市{road}路{small}号{co}大厦{small}层。",
    ], [
        "报到当天请携带学历证书原件、离职证明及一寸照片两张，入职体检请在公司指定医院进行，费用由公司承担。",
        "如对录用条件有疑问，或需调整报到时间，请致电人力资源部{land}与{sur}老师联系。",
    ]),
    ("{quarter}季度基金运作报告", [
        "截至{month}月{day}日，您持有的{co}稳健混合型基金本季度净值增长{small}.{small}%，同期业绩比较基准为{small}.{small}%。",
        "本季度市场整体呈震荡走势，基金经理在控制回撤的前提下适度调整了持仓结构。",
        "基金的过往业绩不代表未来表现，投资有风险，请您根据自身风险承受能力审慎决策。",
    ], [
        "完整的季度报告已在基金公司官网及证监会指定信息披露网站公布，您也可以登录销售机构的官方APP查看持仓明细。",
        "如需咨询，请拨打客服热线{hotline}。",
    ]),
    ("关于召开{year}年度工作总结会议的通知", [
        "经研究，定于{month}月{day}日（星期{wd}）下午2:30在{small}楼会议室召开{year}年度工作总结会议。",
        "请各部门负责人提前准备本部门年度工作总结及下一年度工作计划，汇报时间控制在10分钟以内。",
        "会议材料请于{month}月{day2}日前报送至办公室。",
    ], [
        "请参会人员准时出席，如有特殊情况不能参加的，请提前向办公室请假。",
        "联系人：{sur}老师，电话：{land}。",
    ]),
    ("给老朋友的一封信", [
        "好久没有联系了，最近工作和生活都还顺利吗？前几天翻到我们大学时的照片，突然很想念那段日子。",
        "我现在在{city}工作，一切都好，今年秋天打算回老家看看父母，到时候一定约你出来吃饭。",
        "听说你家孩子今年上小学了，替我向嫂子和孩子问好。",
    ], [
        "有空的时候给我打个电话，我们好好聊聊。",
        "天气转凉了，注意身体，多保重。",
    ]),
    ("服务协议更新通知", [
        "为更好地保护您的合法权益，{org}对《用户服务协议》及《隐私政策》进行了更新，新版本将于{month}月{day}日起生效。",
        "本次更新主要涉及个人信息收集范围的说明、第三方共享清单的补充，以及账户注销流程的优化。",
        "我们承诺将严格按照法律法规的要求处理您的个人信息。",
    ], [
        "您可在官方APP“设置-关于我们”中查阅更新后的协议全文。如您继续使用我们的服务，即表示同意更新后的协议内容。",
        "如有疑问，请通过官方APP内的在线客服与我们联系。",
    ]),
    ("信用卡账单通知", [
        "您尾号{d4}的信用卡{month}月账单已出，本期应还金额{m}.{cents}元，最低还款额{small0}.00元，到期还款日为{month2}月{day2}日。",
        "本期账单共包含消费{small}笔，积分新增{pts}分，积分可在官方APP积分商城兑换礼品。",
    ], [
        "您可通过本行手机银行、网上银行、柜面或自动还款方式还款，详细账单请登录本行官方APP查看。",
        "如已还款，请忽略本通知。客服热线{hotline}。",
    ]),
    ("贷款还款提醒", [
        "您在{bank}办理的个人住房贷款本月应还款{m}.{cents}元，扣款日为{month}月{day}日。",
        "请您在扣款日前确保还款账户余额充足，以免产生逾期记录。",
    ], [
        "您可通过本行手机银行查询还款计划，或前往就近网点办理提前还款业务。",
        "如有疑问，请致电{hotline}或咨询您的客户经理。",
    ]),
    ("物业缴费及安全提示", [
        "尊敬的业主，{year}年度物业服务费收缴工作已经开始，收费标准与上一年度保持一致。",
        "近期天气干燥，请各位业主注意用火用电安全，不要在楼道内堆放杂物，电动车请停放在指定区域充电。",
        "小区将于{month}月{day}日开展消防演练，届时请配合工作人员疏散。",
    ], [
        "物业费可在物业服务中心前台或物业官方小程序缴纳，缴费后可开具正式发票。",
        "服务中心电话：{land}，值班时间8:00-20:00。",
    ]),
    ("入学报到须知", [
        "欢迎你成为{city}{co}学院{year}级新生！新生报到时间为{month}月{day}日至{day2}日，报到地点为学校体育馆。",
        "请携带录取通知书、身份证原件、高考准考证及一寸照片8张。",
        "学费、住宿费可在学校财务处现场缴纳，或通过学校官网公布的缴费平台缴纳。",
    ], [
        "学校不会委托任何个人或机构代收费用，具体事项以学校官网通知为准。",
        "招生办公室电话：{land}。",
    ]),
    ("快递延误致歉", [
        "受近期强降雨天气影响，{city}地区部分线路运输受阻，您的快件（运单号：{refa}）预计将延迟{small}天送达。",
        "我们已安排专人跟进，天气好转后将优先为您派送。",
    ], [
        "您可在{courier}官方APP或小程序实时查询物流状态，给您带来的不便，我们深表歉意。",
    ]),
]  # fmt: skip
_L_NORMAL += [
    ("退款到账通知", [
        "您于{month}月{day}日申请的订单退款（订单号：{refa}）已审核通过，退款金额{m}.{cents}元。",
        "退款将按原支付方式原路退回，预计1-7个工作日到账，具体以支付机构处理时间为准。",
        "本次退货的运费已由商家承担，运费险理赔款将另行退回。",
    ], [
        "您可在{shop}官方APP“我的订单-退款/售后”中查看退款进度。",
        "如超过时效仍未到账，请通过官方APP联系在线客服。",
    ]),
    ("航班变动通知", [
        "很抱歉地通知您，受航路天气影响，您预订的{month}月{day}日{city}至{city2}航班计划起飞时间调整为{hh}:{mm}。",
        "您可以选择免费改签至同一航线的其他航班，或办理全额退票，改签和退票均不收取手续费。",
        "航班动态请以机场及航空公司官方发布的信息为准。",
    ], [
        "退改签请通过您购票的官方渠道办理，或前往机场柜台办理。",
        "给您的出行带来不便，我们深表歉意。",
    ]),
    ("保单续保提醒", [
        "您为车牌号{plate}的车辆投保的商业车险将于{month}月{day}日到期，为保障您的用车安全，请及时续保。",
        "今年续保方案与去年保持一致，具体保费以核保结果为准，续保后电子保单将发送至您预留的邮箱。",
    ], [
        "您可通过本公司官方APP、官方微信公众号或前往营业网点办理续保，也可联系为您服务的保险顾问{sur}先生。",
        "全国统一客服电话{hotline}。",
    ]),
    ("年会邀请函", [
        "时光荏苒，{year}年即将过去。为感谢各位合作伙伴一年来的支持，{org}定于{month}月{day}日晚6:00在{city}{road}路{co}酒店举办年度答谢晚宴。",
        "届时将有精彩的文艺表演和抽奖环节，诚挚邀请您拨冗出席。",
        "晚宴期间将回顾一年来的合作成果，并发布新年度的合作计划。",
    ], [
        "烦请于{month}月{day2}日前回复是否出席，以便我们安排座位。",
        "联系人：{sur}经理，电话{land}。",
    ]),
    ("系统维护公告", [
        "为提升系统稳定性，{org}将于{month}月{day}日凌晨0:00至6:00进行系统升级维护。",
        "维护期间，官方APP及网站的查询、下单功能将暂停使用，已提交的订单不受影响。",
        "维护完成后无需任何额外操作，原有账户信息及数据保持不变。",
    ], [
        "如维护时间有调整，我们将通过官方APP公告另行通知。",
        "由此给您带来的不便，敬请谅解。",
    ]),
    ("面试邀请", [
        "感谢您投递我司{position}岗位。经初步筛选，您的简历已通过，诚邀您于{month}月{day}日下午3:00参加面试。",
        "面试地点：{city}市{road}路{small}号{co}大厦{small}层前台，面试时长约一小时，由部门负责人和人力资源部共同参加。",
        "面试将包括专业能力交流和综合素质面谈两个环节。",
    ], [
        "请携带个人简历一份，如时间不便，请提前一天回复本邮件调整。",
        "公司在招聘过程中不收取任何费用。人力资源部{sur}老师，电话{land}。",
    ]),
]  # fmt: skip
# Generic asks that any fraud letter may add (the shared shape of long fraud prose).
_L_ASK_ANY = [
    "请您在收到本邮件后尽快点击下方链接{url}完成信息确认，以免影响您的正常使用。",
    "请直接回复本邮件，并附上您的身份证正反面照片、银行卡号及开户行信息，我们将在审核后为您办理。",
    "为确保款项安全到达，请先支付{m}元手续费至指定账户{acct}，我们收到后将立即为您处理。",
    "请下载附件中的客户端或访问{url}，使用您的账号和密码登录后按提示操作。",
    "办理过程中请勿挂断电话或向他人透露相关信息，以免影响处理结果。",
    "本通知有效期为48小时，逾期将视为您自动放弃相关权益，由此产生的后果由您本人承担。",
    "请将手机收到的六位数字验证码回复至本邮箱或告知我们的专员，以完成最后一步验证。",
]  # fmt: skip
_L_WD = "一二三四五"
_L_POS = ["行政专员", "软件工程师", "会计", "销售代表", "产品经理", "客服专员", "设计师"]


def _lslots(rng: random.Random) -> dict[str, str]:
    s = _vslots(rng)
    s.update(
        shop=rng.choice(_SENDERS["shop"]),
        co=rng.choice(_CO + _NAME_PREFIX),
        lender=rng.choice(_LENDER + _LENDER_FAKE),
        hotline=rng.choice(["95588", "10086", "95533", "10010", "95599", "95555", "400-820-8888"]),
        year=str(rng.randint(2019, 2026)),
        year0=str(rng.randint(1990, 2015)),
        title=rng.choice(_L_TITLE),
        hh=f"{rng.randint(0, 23):02d}",
        mm=f"{rng.randint(0, 59):02d}",
        wd=rng.choice(_L_WD),
        d4=_d(4, rng),
        quarter=rng.choice(["一", "二", "三", "四"]),
        position=rng.choice(_L_POS),
        orgs=rng.choice(["财", "办", "人", "综", "客"]),
        refa=rng.choice(["", "NO.", "REF-", "CN", "SF"])
        + str(rng.randint(2019, 2026))
        + _d(rng.choice([6, 8, 10]), rng),
        acct="6" + _d(rng.choice([15, 18]), rng),
        plate=rng.choice("京沪粤川浙苏鄂陕") + rng.choice("ABCDE") + _d(5, rng),
    )
    s["org"] = rng.choice(_L_ORG).format(**s)
    return s


def _letter(rng: random.Random, fraud: bool) -> tuple[str, str]:
    """A long, formal, multi-paragraph e-mail/letter/notice (roughly 250-900 characters)."""
    s = _lslots(rng)
    if fraud:
        ft, subject, pre, asks = rng.choice(_L_FRAUD)
        body = rng.sample(pre, k=min(len(pre), rng.choice([1, 2, 2])))
        body += rng.sample(asks, k=min(len(asks), rng.choice([2, 3, 3, 4])))
        if rng.random() < 0.5:
            body.insert(rng.randint(len(body) - 1, len(body)), rng.choice(_L_ASK_ANY))
        label = ft.value
    else:
        subject, info, channel = rng.choice(_L_NORMAL)
        body = rng.sample(info, k=min(len(info), rng.choice([2, 3, 3])))
        body += rng.sample(channel, k=min(len(channel), rng.choice([1, 2])))
        label = NORMAL
    paras = [rng.choice(_L_OPEN)] if rng.random() < 0.8 else []
    if rng.random() < 0.5 and len(body) > 2:  # paragraphs of one or two sentences
        body = [body[0], "".join(body[1:3])] + body[3:]
    if rng.random() < 0.3:
        paras.append(rng.choice(_L_OPEN))
    paras += rng.sample(_L_ABOUT, k=rng.choice([0, 1, 1, 2, 3]))
    paras += body
    paras.append(rng.choice(_L_CLOSE))
    sep = rng.choice(["\n", "\n\n", " ", ""])
    head = []
    if rng.random() < 0.7:
        head.append(rng.choice(["主题：", "标题：", "【", ""]) + subject)
        if head[0].startswith("【"):
            head[0] += "】"
    ref = rng.choice(_L_REF)
    if ref and rng.random() < 0.6:
        head.append(ref)
    head.append(rng.choice(_L_GREET))
    sign = [rng.choice(["{org}", "{org}{dept}", "{dept}", "{org}\n{dept}"])]
    sign.append(
        rng.choice(["{year}年{month}月{day}日", "{year}-{month}-{day}", "{year}/{month}/{day}", ""])
    )
    s["dept"] = rng.choice(_L_DEPT)
    foot = [rng.choice(_L_FOOT)] if rng.random() < 0.4 else []
    text = sep.join(x for x in head + paras + sign + foot if x)
    text = text.format(**s).replace("。。", "。")
    return text, label


def letters(n: int, seed: int = 0, fraud_share: float = 0.5) -> Iterator[tuple[str, str]]:
    """Yield ``n`` long formal letters (text, label); see the section comment above."""
    rng = random.Random(seed)
    for _ in range(n):
        yield _letter(rng, fraud=rng.random() < fraud_share)
