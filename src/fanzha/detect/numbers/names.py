"""Plain-Chinese names of number features, used to phrase reasons."""

from __future__ import annotations

import re

FEATURE_NAMES: dict[str, str] = {
    # Sichuan 2020 competition aggregates
    "opposite_count": "通话次数",
    "opposite_unique": "通话对端号码数",
    "voccalltype1": "主叫通话量",
    "voc_calltype1": "主叫占比",
    "imeis": "使用终端(IMEI)数",
    "city_name_call": "通话城市数",
    "county_name_call": "通话区县数",
    "phone2opposite_mean": "与每个对端的平均通话次数",
    "phone2opposite_median": "与对端通话次数中位数",
    "phone2opposite_max": "与单个对端最多通话次数",
    "phone2oppo_sum_mean": "与每个对端的平均通话总时长",
    "phone2oppo_sum_median": "与对端通话总时长中位数",
    "phone2oppo_sum_max": "与单个对端最长通话总时长",
    "call_dur_mean": "平均通话时长",
    "call_dur_median": "通话时长中位数",
    "call_dur_max": "最长通话时长",
    "call_dur_min": "最短通话时长",
    "city_name_nunique": "通话城市数",
    "county_name_nunique": "通话区县数",
    "calltype_id_unique": "通话类型数",
    "voc_hour_mode": "最常通话时段",
    "voc_hour_mode_count": "高峰时段通话量",
    "voc_hour_nunique": "通话覆盖小时数",
    "voc_day_mode": "最常通话日期",
    "voc_day_mode_count": "单日最高通话量",
    "voc_day_nunique": "有通话的天数",
    "sms_count": "短信条数",
    "sms_nunique": "短信对端号码数",
    "sms_rate": "与每个短信对端的平均条数",
    "calltype_2": "接收短信条数",
    "calltype_rate": "接收短信占比",
    "hour_mode": "最常短信时段",
    "hour_mode_count": "高峰时段短信量",
    "hour_nunique": "短信覆盖小时数",
    "day_mode": "最常短信日期",
    "day_mode_count": "单日最高短信量",
    "day_nunique": "有短信的天数",
    "busi_count": "APP使用次数",
    "flow_mean": "平均上网流量",
    "flow_median": "上网流量中位数",
    "flow_min": "最小上网流量",
    "flow_max": "最大上网流量",
    "flow_var": "上网流量波动",
    "flow_sum": "上网总流量",
    "month_ids": "有记录的月份数",
    "flow_month": "月均上网流量",
    "arpu_mean": "月均消费(ARPU)",
    "arpu_var": "月消费波动",
    "arpu_max": "最高月消费",
    "arpu_min": "最低月消费",
    "arpu_median": "月消费中位数",
    "arpu_sum": "累计消费",
    "arpu_skew": "月消费偏度",
    "arpu_sem": "月消费标准误",
    "arpu_quantile": "月消费分位值",
    # DOMAIN.md §8 features produced by fanzha.detect.features
    "calls": "通话量",
    "out_calls": "主叫通话量",
    "in_calls": "被叫通话量",
    "distinct_callees": "被叫号码数",
    "out_share": "主叫占比",
    "short_call_share": "短时通话占比",
    "callback_share": "回拨率",
    "reciprocity": "回拨率",
    "callee_entropy": "拨号分散度",
    "gap_mean_s": "平均通话间隔",
    "gap_std_s": "通话间隔波动",
    "night_share": "夜间通话占比",
    "distinct_cells": "基站数",
    "distinct_cities": "城市数",
    "imeis_per_number": "使用终端数",
    "max_numbers_per_imei": "同终端号码数",
    "iot_voice_calls": "物联网卡语音通话",
    "forwarded_share": "呼转占比",
    "mean_duration_s": "平均通话时长",
    # graph features
    "g_out_degree": "主叫联系人数",
    "g_in_degree": "被叫联系人数",
    "g_degree": "联系人数",
    "g_weighted_out": "呼出关系数",
    "g_weighted_in": "呼入关系数",
    "g_mutual_share": "双向联系人占比",
    "g_in_out_ratio": "呼入与呼出联系人比",
    "g_nb_degree_mean": "联系人平均联系人数",
    "g_2hop_degree_mean": "二度联系人规模",
    "g_fraud_nb": "已知涉诈联系人数",
    "g_labelled_nb": "已核实联系人数",
    "g_fraud_nb_share": "联系人中已知涉诈号码占比",
    "g_fraud_out_share": "呼出对象中已知涉诈号码占比",
    "g_fraud_in_share": "呼入来源中已知涉诈号码占比",
    "g_fraud_out": "呼出的已知涉诈号码数",
    "g_fraud_in": "来电的已知涉诈号码数",
    "g_prop_1hop": "联系人风险",
    "g_prop_2hop": "二度联系人风险",
    "g_fraud_2hop": "与涉诈号码的共同联系人",
    "g_nb_risk_mean": "联系人平均风险",
    "g_nb_risk_max": "联系人最高风险",
    "g_nb_risky": "高风险联系人数",
    "g_nb_risky_share": "高风险联系人占比",
    "g_2hop_risk_mean": "二度联系人平均风险",
}

_NB = re.compile(r"^nb_(mean|max)_(.+)$")
_SVD = re.compile(r"^g_svd_\d+$")


def feature_label(name: str) -> str:
    m = _NB.match(name)
    if m:
        agg = "平均" if m.group(1) == "mean" else "最高"
        return f"联系人{agg}{feature_label(m.group(2))}"
    if _SVD.match(name):
        return "所在通话社群"
    return FEATURE_NAMES.get(name, name)
