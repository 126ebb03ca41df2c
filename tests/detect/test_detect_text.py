"""Text fraud detection: normalisation, training, evidence, the shipped default model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fanzha.detect.text import TextModel, default_model, normalize
from fanzha.detect.text.corpus import NORMAL, generate
from fanzha.detect.text.train import detect_normal_class, train_text_model
from fanzha.domain.taxonomy import FraudType


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("请转入安 全 账 户", "安全账户"),
        ("加我V信", "微信"),
        ("加我薇信详聊", "微信"),
        ("扣扣联系", "qq"),
        ("先zhuan账", "转账"),
        ("ＡＢＣ１２３", "abc123"),
        ("刷😀单", "刷单"),
        ("扣扣 一三八一二三四五六七八", "qq13812345678"),
        ("解dong费", "解冻"),
    ],
)
def test_normalize_maps_dodges(raw: str, expected: str) -> None:
    assert expected in normalize(raw)


@pytest.mark.parametrize(
    ("labels", "normal"),
    [
        (["正常", "冒充客服服务", "正常"], "正常"),
        (["0", "1", "1"], "0"),
        (["fraud", "normal", "fraud"], "normal"),
        (["scam", "ham"], "ham"),
        (["诈骗", "非诈骗"], "非诈骗"),
        (["benign", "phish", "phish"], "benign"),
    ],
)
def test_detect_normal_class(labels: list[str], normal: str) -> None:
    assert detect_normal_class(labels) == normal


@pytest.fixture(scope="module")
def tiny_model() -> tuple[TextModel, dict]:
    pairs = list(generate(800, seed=1))
    return train_text_model([t for t, _ in pairs], [y for _, y in pairs], tune_c=None)


def test_tiny_model_types_and_evidence(tiny_model) -> None:
    model, metrics = tiny_model
    assert model.normal_class == NORMAL
    assert model.taxonomy_types
    assert metrics["held_out"]["fraud_vs_normal_f1"] > 0.9
    v = model.classify(["这里是公安局，你涉嫌洗钱，请把资金转入安全账户配合资金核查，此事要保密"])[
        0
    ]
    assert v.is_fraud and v.fraud_type == FraudType.IMPERSONATE_AUTHORITY.value
    phrases = [e["phrase"] for e in v.evidence]
    assert "安全账户" in phrases
    assert '安全账户(冒充公检法: 要求转入"安全账户")' in v.evidence_text()
    ok = model.classify(["【美团】您的外卖已送达，祝您用餐愉快。"])[0]
    assert not ok.is_fraud and ok.fraud_type == ""


def test_binary_labels_use_lexicon_type(tmp_path: Path) -> None:
    pairs = list(generate(600, seed=2))
    labels = [0 if y == NORMAL else 1 for _, y in pairs]
    model, _ = train_text_model([t for t, _ in pairs], labels, tune_c=None, test_size=0)
    assert model.normal_class == "0" and not model.taxonomy_types
    v = model.classify(["兼职刷单，先垫付500元，佣金日结，任务未完成卡单要继续充值"])[0]
    assert v.is_fraud and v.fraud_type == FraudType.SHUADAN.value
    model.save(tmp_path / "m", {"kind": "fanzha.text"})
    again = TextModel.load(tmp_path / "m")
    assert (
        again.classify(["好的，收到，谢谢"])[0].score
        == model.classify(["好的，收到，谢谢"])[0].score
    )


def test_empty_and_missing_text_are_not_fraud(tiny_model) -> None:
    model, _ = tiny_model
    out = model.classify(["", None, "   "])
    assert [v.is_fraud for v in out] == [False, False, False]


# ---- the shipped default model ------------------------------------------------------------

NOISY_FRAUD = [
    "我是公安局的，你的账户涉嫌洗钱，马上把钱转到安 全 账 户",
    "您好，我是淘宝客服，您的快递丢失了，我们给您双倍赔偿，请把收到的验 证 码告诉我",
    "兼职刷dan，加V信领任务，佣金日结，返利高",
    "ＶＸ：ａｂｃ１２３，点赞关注一单返佣金3元，先垫付",
    "您的学生账户需要注销，否则影响征信，请下载会议软件开启屏幕共享",
    "你的贷款审批通过了，但银行卡号填错资金被冻结，需要交解冻费才能放款😊",
]
NORMAL_TEXTS = [
    "【招商银行】您的验证码是123456，用于登录，5分钟内有效，请勿泄露。",
    "妈，我今晚加班，不回来吃饭了",
    "【顺丰】您的快递已到小区驿站，取件码4321。",
    "明天上午九点开会，记得带报表",
]


def test_default_model_flags_noisy_fraud() -> None:
    model = default_model()
    verdicts = model.classify(NOISY_FRAUD)
    assert all(v.is_fraud for v in verdicts), [
        (t, v) for t, v in zip(NOISY_FRAUD, verdicts, strict=True) if not v.is_fraud
    ]
    types = {f.value for f in FraudType}
    assert all(v.fraud_type in types for v in verdicts)
    assert all(v.evidence for v in verdicts)


def test_default_model_passes_normal_messages() -> None:
    verdicts = default_model().classify(NORMAL_TEXTS)
    assert not any(v.is_fraud for v in verdicts), verdicts


def test_default_model_on_public_sample(datasets_dir: Path) -> None:
    """Research-only data, evaluation only: a small stratified sample keeps the test fast."""
    f = datasets_dir / "text" / "telecom_fraud_texts_5" / "train.csv"
    d = pd.read_csv(f)
    d = pd.concat(
        [
            d[d.label == "正常"].sample(150, random_state=0),
            d[d.label != "正常"].sample(150, random_state=0),
        ]
    )
    verdicts = default_model().classify(d.text.astype(str).tolist(), evidence=False)
    y = (d.label != "正常").astype(int).tolist()
    tp = sum(v.is_fraud and t for v, t in zip(verdicts, y, strict=True))
    recall = tp / sum(y)
    assert recall > 0.9, recall
    # Operator marketing SMS are the default model's weak spot (precision ~0.56 at 0.5 on the full
    # set, see metadata.json); the ranking must still separate the classes.
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(y, [v.score for v in verdicts]) > 0.9


def test_single_message_path_matches_batch(tiny_model) -> None:
    """One message (the API path, no sparse matrices) answers exactly as inside a batch."""
    model, _ = tiny_model
    texts = [t for t, _ in generate(300, seed=5)] + ["", "好", "😀", "安全账户" * 30]
    batch = model.classify(texts)
    for text, b in zip(texts, batch, strict=True):
        one = model.classify([text])[0]
        assert (one.is_fraud, one.fraud_type) == (b.is_fraud, b.fraud_type), text
        assert one.score == pytest.approx(b.score, abs=1e-5), text
        assert [e["phrase"] for e in one.evidence] == [e["phrase"] for e in b.evidence], text


def test_params_of_older_models_default_to_no_class_weight() -> None:
    from fanzha.detect.text.model import TextParams

    old = {"char_ngrams": [1, 4], "head_chars": 40, "C": 3.0}
    assert TextParams.from_dict(old).class_weight is None
    assert TextParams.from_dict(TextParams().to_dict()).class_weight == "balanced"


def test_promo_corpus_is_normal_and_optional() -> None:
    """promo_share=0 keeps earlier sequences (tests and benchmarks rely on seeds)."""
    from fanzha.detect.text import corpus

    assert list(generate(50, seed=9)) == list(generate(50, seed=9, promo_share=0.0))
    pairs = list(generate(400, seed=9, promo_share=1.0))
    normal = [t for t, y in pairs if y == NORMAL]
    assert normal and all(y in {NORMAL} | {f.value for f in FraudType} for _, y in pairs)
    assert sum("退订" in t or "回T" in t or "回复R" in t for t in normal) > len(normal) // 4
    assert corpus._promo(__import__("random").Random(1)).count("【") <= 1
