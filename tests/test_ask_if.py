"""A condition's `ask_if` (rules/conditions.yaml): checked when the knowledge base is loaded, and shown by
`skinrec conditions`. The questionnaire's use of it is tested in test_questionnaire.py."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import cli, edit, problems

CONDITIONS = "rules/conditions.yaml"


def gate(root: Path, question: str, on: str) -> int:
    """Give the condition asked `question` an `ask_if: on`; the line the ask_if is on."""
    return edit(root, CONDITIONS, f'question: "{question}"', f'question: "{question}"\n    ask_if: {on}') + 1


def test_an_ask_if_must_name_an_earlier_condition(kb_copy: Path) -> None:
    """A gate below its question would be unanswered when the question comes, so the question would never be
    asked; one that names no condition, or the question's own, cannot be answered either."""
    later = gate(kb_copy, "Are you breastfeeding?", "psoriasis")
    typo = edit(kb_copy, CONDITIONS, "ask_if: rosacea  #", "ask_if: rosacae  #")
    itself = gate(kb_copy, "Do you have psoriasis?", "psoriasis")
    built_in = gate(kb_copy, "Do you have epilepsy or a history of seizures?", "skin_type")
    label = gate(kb_copy, "Are you allergic to any metal, such as nickel?", "Pacemaker or implanted device")
    psoriasis = edit(kb_copy, CONDITIONS, "  - id: psoriasis", "  - id: psoriasis")
    assert problems(kb_copy) == [
        f"{CONDITIONS}:{later}:5: conditions[breastfeeding].ask_if: 'psoriasis' is asked after this question (line "
        f"{psoriasis}), and questions are asked in file order, so this one would always be skipped; move this "
        "condition below 'psoriasis'",
        f"{CONDITIONS}:{typo}:5: conditions[rosacea_severe].ask_if: unknown condition 'rosacae'; did you mean "
        "'rosacea'?",
        f"{CONDITIONS}:{itself}:5: conditions[psoriasis].ask_if: a question cannot wait for its own answer; name the "
        "earlier condition whose yes makes it worth asking, or remove ask_if",
        f"{CONDITIONS}:{built_in}:5: conditions[epilepsy].ask_if: 'skin_type' is built in (the Fitzpatrick type), not "
        "a condition; ask_if takes a condition answered yes or no",
        f"{CONDITIONS}:{label}:5: conditions[metal_allergy].ask_if: 'Pacemaker or implanted device' is a name of the "
        "condition 'pacemaker'; write its id, 'pacemaker'",
    ]


def test_questions_that_wait_on_each_other_are_a_loop(kb_copy: Path) -> None:
    """Rosacea waiting on severe rosacea, which waits on rosacea: neither can ever be asked, whatever the order.
    It was told to move rosacea below severe rosacea, and after that move, the mirror of it; it is said as the
    loop it is, once, at its first question, for two questions or more."""
    rosacea = gate(kb_copy, "Do you have rosacea, even if it is mild or under control?", "rosacea_severe")
    assert problems(kb_copy) == [
        f"{CONDITIONS}:{rosacea}:5: conditions[rosacea].ask_if: 'rosacea' waits on 'rosacea_severe', which waits on "
        "'rosacea': they wait on each other's yes, so neither would ever be asked; remove one of their ask_ifs"
    ]
    edit(kb_copy, CONDITIONS, "ask_if: rosacea_severe", "ask_if: psoriasis")
    gate(kb_copy, "Do you have psoriasis?", "rosacea_severe")
    loop = problems(kb_copy)
    assert loop == [
        f"{CONDITIONS}:{rosacea}:5: conditions[rosacea].ask_if: 'rosacea' waits on 'psoriasis', which waits on "
        "'rosacea_severe', which waits on 'rosacea': they wait on each other's yes, so none of them would ever be "
        "asked; remove one of their ask_ifs"
    ]
    # a question waiting on the loop, outside it, is asked once the loop is broken: nothing to say of it
    gate(kb_copy, "Have you tanned, used a sunbed or been sunburnt in the last two weeks?", "psoriasis")
    assert problems(kb_copy) == loop


def test_a_chain_of_earlier_conditions_is_valid(kb_copy: Path) -> None:
    gate(
        kb_copy,
        "Do you have eczema (atopic dermatitis) on the area to be treated, or frequent eczema flares?",
        "rosacea_severe",
    )
    assert problems(kb_copy) == []


def test_the_conditions_listing_shows_it(kb_copy: Path) -> None:
    """A program that asks the questions itself (from `skinrec conditions -f json`, "in the order the
    questionnaire asks them") needs the skip logic too; the table and Markdown say it in words."""
    doc = json.loads(cli("conditions", "-f", "json").stdout)
    assert tuple(map(int, doc["schema_version"].split("."))) >= (1, 4)  # 1.4 added ask_if
    gates = {c["id"]: c["ask_if"] for c in doc["conditions"] if c["ask_if"] is not None}
    assert gates == {"rosacea_severe": "rosacea"}
    markdown = cli("conditions", "-f", "markdown").stdout
    assert "flaring now.<br>asked only after a yes to `rosacea`<br>rules:" in markdown
    assert cli("conditions").stdout.count("asked only after a yes to rosacea") == 1
