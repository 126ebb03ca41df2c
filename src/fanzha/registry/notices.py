"""What every restriction must say (Anti-Fraud Law Art. 32): reason, appeal channel, documents."""

from __future__ import annotations

from fanzha.registry.keys import IdKind

APPEAL_CHANNELS: dict[str, str] = {
    "counter": "开户/办卡网点柜台",
    "hotline": "机构客服热线",
    "app": "国家反诈中心App“申诉”入口",
    "online": "机构网上申诉渠道",
    "police": "当地公安机关反诈中心",
}

_DOCUMENTS: dict[IdKind, list[str]] = {
    IdKind.PHONE: ["本人有效身份证件原件", "号码实名登记信息核验（现场人像比对）", "号码用途说明"],
    IdKind.ACCOUNT: [
        "本人有效身份证件原件",
        "账户开立及使用情况说明",
        "相关交易的合法来源证明（如合同、发票、工资流水）",
    ],
    IdKind.ID_NUMBER: ["本人有效身份证件原件", "名下账户及电话卡使用情况说明"],
    IdKind.URL: ["网站ICP备案信息", "主办单位营业执照或身份证明", "网站合法经营说明"],
    IdKind.DOMAIN: ["域名实名注册信息", "ICP备案信息", "主办单位营业执照或身份证明"],
    IdKind.APP: ["应用备案或上架证明", "开发者主体资质证明", "应用功能说明"],
    IdKind.QQ: ["本人有效身份证件", "账号实名认证信息", "账号使用情况说明"],
    IdKind.WECHAT: ["本人有效身份证件", "账号实名认证信息", "账号使用情况说明"],
    IdKind.DEVICE: ["本人有效身份证件", "设备购买凭证", "设备使用情况说明"],
    IdKind.IP: ["IP地址使用单位证明", "网络接入服务合同", "使用情况说明"],
}

_MEASURES: dict[IdKind, str] = {
    IdKind.PHONE: "暂停该号码部分或全部通信功能，待重新实名核验",
    IdKind.ACCOUNT: "暂停该账户非柜面业务，待本人重新核验身份",
    IdKind.ID_NUMBER: "限制以该身份新开账户和电话卡",
    IdKind.URL: "拦截访问并提示风险",
    IdKind.DOMAIN: "拦截解析与访问并提示风险",
    IdKind.APP: "拦截下载安装并提示风险",
    IdKind.QQ: "限制账号部分功能并提示风险",
    IdKind.WECHAT: "限制账号部分功能并提示风险",
    IdKind.DEVICE: "限制该设备办理相关业务",
    IdKind.IP: "对该地址的访问进行风险提示",
}


def restriction_notice(kind: str, reason: str) -> dict[str, object]:
    k = IdKind(kind)
    channels = "、".join(APPEAL_CHANNELS[c] for c in ("counter", "hotline", "app"))
    return {
        "reason": reason,
        "measure": _MEASURES[k],
        "appeal_channel": f"如有异议，可通过{channels}提出申诉；核验通过后立即解除限制。",
        "documents": list(_DOCUMENTS[k]),
    }
