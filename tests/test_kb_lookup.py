"""The name lookups behind `-c`, `-x` and profile files: an exact id always means its own record, whatever the
labels and synonyms of the other records say (the validator refuses such labels, and the lookup must not depend
on it: an id taken by another record's label silently drops that id's contraindications)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from skinrec.browse import find_treatment
from skinrec.errors import UsageError
from skinrec.knowledge import compile_kb
from skinrec.loader import read_files, shipped_kb_dir, validate_texts
from skinrec.profile import parse_concern, parse_condition, parse_skin_type, shown


def shipped_doc() -> dict[str, Any]:
    doc, problems = validate_texts(read_files(shipped_kb_dir())[0])
    assert problems == []
    return copy.deepcopy(doc)


def relabel(records: list[dict[str, Any]], ident: str, label: str) -> None:
    (record,) = [record for record in records if record["id"] == ident]
    record["label"] = label


def test_an_id_wins_over_an_earlier_records_label() -> None:
    doc = shipped_doc()
    ids = [condition["id"] for condition in doc["conditions"]]
    assert ids.index("rosacea_severe") < ids.index("eczema")  # the label is seen before the id it spells
    relabel(doc["conditions"], "rosacea_severe", "eczema")
    relabel(doc["concerns"], "fine_lines", "Deep wrinkles")
    kb = compile_kb(doc)
    assert kb.condition_lookup["eczema"] == "eczema"
    assert parse_condition(kb, "eczema") == "eczema"
    assert parse_condition(kb, "rosacea severe") == "rosacea_severe"
    assert parse_concern(kb, "deep wrinkles") == "deep_wrinkles"
    assert parse_concern(kb, "fine lines") == "fine_lines"


def test_labels_and_synonyms_still_resolve() -> None:
    kb = compile_kb(shipped_doc())
    assert parse_condition(kb, "Epilepsy or seizures") == "epilepsy"
    # A brand name the question itself gives: unknown, it was refused with "did you mean 'active_acne'?", and
    # following that hint dropped the isotretinoin exclusions.
    assert parse_condition(kb, "Accutane") == "isotretinoin_recent"
    assert parse_condition(kb, "warfarin") == "blood_thinners"
    assert parse_condition(kb, "Eliquis") == "blood_thinners"
    # "sunburn" was answered "did you mean 'recent_tan'?" (a caution), and following it left needling admitted:
    # the word goes to the condition that rules more out, sunburnt skin now.
    assert parse_condition(kb, "sunburn") == "sunburnt_or_irritated_skin"
    assert parse_condition(kb, "sun burnt") == "sunburnt_or_irritated_skin"
    # "sunbed" was answered "did you mean 'sunburnt_or_irritated_skin'?": a sunbed is a tan, not skin sunburnt now.
    for word in ("sunbed", "sunbeds", "tanned", "tanning bed"):
        assert parse_condition(kb, word) == "recent_tan"
    assert parse_condition(kb, "heart disease") == parse_condition(kb, "kidney disease") == "heart_liver_kidney_disease"
    assert parse_condition(kb, "doxycycline") == "photosensitizing_drugs"
    assert parse_condition(kb, "hemophilia") == parse_condition(kb, "haemophilia") == "bleeding_disorder"
    # A melanoma anywhere is cancer now; it is not necessarily in the area to be treated.
    assert parse_condition(kb, "melanoma") == parse_condition(kb, "chemotherapy") == "active_cancer"
    assert parse_condition(kb, "immunosuppressed") == "autoimmune"
    # HIV is not always a weakened immune system, and its sources reach treatments the autoimmune rules do not:
    # unknown, it is refused (exit 2) rather than guessed.
    with pytest.raises(ValueError, match="unknown condition 'HIV'"):
        parse_condition(kb, "HIV")
    assert parse_concern(kb, "pores") == "enlarged_pores"
    assert parse_concern(kb, "ICE PICK scars") == "acne_scars"
    assert parse_concern(kb, "acne-scars") == "acne_scars"


def test_a_hint_finds_a_word_in_brackets_and_offers_no_stranger() -> None:
    """'co2' is a word of "Ablative laser resurfacing (CO2 / erbium)" though a bracket, not a space, comes
    before it; 'redness' is no concern skinrec has, and was offered dull_complexion for sharing 'ness'."""
    kb = compile_kb(shipped_doc())
    for name, meant in (("co2", "laser_ablative"), ("TCA", "chemical_peel_medium"), ("phenol", "chemical_peel_deep")):
        with pytest.raises(UsageError, match=f"did you mean '{meant}'"):
            find_treatment(kb, name)
    with pytest.raises(ValueError, match="unknown concern 'redness'; known concerns: fine_lines") as found:
        parse_concern(kb, "redness")
    assert "did you mean" not in str(found.value)
    assert parse_concern(kb, "acne scars") == "acne_scars"
    with pytest.raises(ValueError, match="did you mean 'acne_scars'"):
        parse_concern(kb, "acne scarz")


def test_names_as_phones_type_them() -> None:
    """A typographic apostrophe (U+2019) was not the plain one the synonym has; 'don't know' is as unsure."""
    kb = compile_kb(shipped_doc())
    assert parse_concern(kb, "crow\u2019s feet") == parse_concern(kb, "crow's feet") == "fine_lines"
    assert parse_skin_type("don't know") is None
    long = shown("acne scars " * 8)
    assert long.endswith("…'") and len(long) == 60  # a cut text keeps its closing quote


def test_a_condition_given_as_a_concern_is_pointed_to_where_it_belongs() -> None:
    """`-c acne` was answered "did you mean 'acne_scars'?", and whoever followed only that had microneedling
    ranked first over active breakouts: the message now says the word is a condition to give with -x."""
    kb = compile_kb(shipped_doc())
    assert parse_condition(kb, "acne") == parse_condition(kb, "breakouts") == "active_acne"
    with pytest.raises(ValueError) as acne:
        parse_concern(kb, "acne")
    assert str(acne.value) == (
        "unknown concern 'acne': it names the condition active_acne (Active acne), which skinrec takes into "
        "account but does not treat; give it among the conditions (-x active_acne on the command line); or did you "
        "mean the concern 'acne_scars'?"
    )
    with pytest.raises(
        ValueError,
        match=r"^unknown concern 'Rosacea': it names the condition rosacea \(Rosacea\), .*\(-x rosacea on the command line\)$",
    ):
        parse_concern(kb, "Rosacea")
    with pytest.raises(ValueError, match=r"^unknown concern 'acnee'; known concerns: "):  # no condition: as before
        parse_concern(kb, "acnee")
    # and the other way round: "acne scars" as a condition was hinted to active_acne, which rules out needling
    with pytest.raises(ValueError) as scars:
        parse_condition(kb, "acne scars")
    assert str(scars.value) == (
        "unknown condition 'acne scars': it names the concern acne_scars (Acne scars), which is something to treat, "
        "not a reason to avoid a treatment; give it among the concerns (-c acne_scars on the command line); or did "
        "you mean the condition 'active_acne'?"
    )
    with pytest.raises(ValueError, match=r"^unknown condition 'wrinkles': it names the concern fine_lines .*line\)$"):
        parse_condition(kb, "wrinkles")


def test_a_word_never_lands_on_a_milder_condition_than_it_names() -> None:
    """From a safety review: "radiotherapy" was radiotherapy to the face years ago (rules out the deep peel) though
    said plainly it is cancer treatment now (rules out everything); "recent accutane" was hinted to recent_tan, a
    caution, where it names isotretinoin; "herpes" was hinted only to the history, not an outbreak now."""
    kb = compile_kb(shipped_doc())
    assert parse_condition(kb, "radiotherapy") == parse_condition(kb, "radiation therapy") == "active_cancer"
    assert parse_condition(kb, "facial radiotherapy") == "facial_radiation_history"
    assert parse_condition(kb, "oral retinoid") == "isotretinoin_recent"
    with pytest.raises(
        ValueError, match=r"^unknown condition 'recent accutane' — did you mean 'isotretinoin_recent'\?$"
    ):
        parse_condition(kb, "recent accutane")
    with pytest.raises(ValueError) as herpes:
        parse_condition(kb, "herpes")
    assert "'cold_sores_active'" in str(herpes.value) and "'herpes_history'" in str(herpes.value)
    with pytest.raises(ValueError):  # coarse facial hair is not peach fuzz
        parse_concern(kb, "facial hair")
