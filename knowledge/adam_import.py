"""Turn a team's ADaM datasets (ADSL, ADAE, ADRS, ADTTE) into a stormchat store.

Files may be SAS XPORT (``.xpt``) or SAS7BDAT (read with pyreadstat, the optional extra
``stormchat[adam]``, imported only when such a file is read), CSV or CDISC Dataset-JSON
(1.0 or 1.1; the standard library reads both). Variable names follow the ADaM IG; what a
sponsor names differently is said in a TOML map (``--map``, see ``DEFAULT_MAP``).

What comes out is the store's tables as documents, validated by the same code that loads a
store (``knowledge.store.store_from_tables``), with a report of the rows read, kept and dropped
per dataset and why. Writing the file is the caller's (``stormchat import`` writes it
atomically); this module only reads.

ADAE is reduced to the store's shape, one row per patient and preferred term: the
treatment-emergent rows (TRTEMFL = Y) at their worst grade (AETOXGR) or, where the study
records severity only, at their worst severity (AESEV); serious if any row is, fatal if any
row is, drug withdrawn if any row says so.
"""

from __future__ import annotations

import csv
import json
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from knowledge.models import (
    SEVERITY_ORDER,
    AdverseEvent,
    AEAction,
    AEGrading,
    AEOutcome,
    BestResponse,
    ResponseCategory,
    StoreMeta,
    Subject,
    TimeToEvent,
)
from knowledge.store import COLUMNS, SCHEMA_VERSION, Store, Table, columns_of, store_from_tables

DATASETS = ("adsl", "adae", "adrs", "adtte")
# When a folder holds one dataset in several formats, the first of these is read.
FORMATS: dict[str, str] = {
    ".xpt": "SAS XPORT",
    ".sas7bdat": "SAS7BDAT",
    ".json": "Dataset-JSON",
    ".csv": "CSV",
}

# The ADaM IG defaults; a map file overrides any of them, table by table.
DEFAULT_MAP: dict[str, dict[str, Any]] = {
    "study": {
        "title": None,  # default: STUDYID
        "control_arm": None,  # default: the arm whose name contains "placebo"
    },
    "adsl": {
        "arm": ["TRT01A", "ACTARM"],  # the first present is used
        "safety_flag": "SAFFL",
        "efficacy_flag": ["MITTFL", "FASFL", "ITTFL", "SAFFL"],
    },
    "adae": {
        "term": "AEDECOD",
        "soc": ["AESOC", "AEBODSYS"],
        "grade": "AETOXGR",
        "severity": ["ASEV", "AESEV"],
        "treatment_emergent_only": True,
    },
    "adrs": {
        "best_response": "BOR",  # the PARAMCD of best overall response
        "criteria": "RECIST 1.1",
        "analysis_flag": None,  # e.g. "ANL01FL": keep only rows flagged Y
    },
    "adtte": {
        "parameters": {},  # source PARAMCD -> store PARAMCD, e.g. {TTDE = "TTAE"}
        "unit": "days",  # AVAL's unit where AVALU is absent
    },
}

MISSING_TEXT = frozenset({"", "NA", "NAN", "NONE", "NULL", "."})
RELATED = frozenset(
    {
        "Y",
        "YES",
        "RELATED",
        "POSSIBLE",
        "PROBABLE",
        "DEFINITE",
        "POSSIBLY",
        "PROBABLY",
        "DEFINITELY",
        "POSSIBLY RELATED",
        "PROBABLY RELATED",
        "DEFINITELY RELATED",
        "RELATED TO STUDY DRUG",
    }
)
ACTIONS = frozenset(get_args(AEAction))
OUTCOMES = frozenset(get_args(AEOutcome))
RESPONSES = frozenset(get_args(ResponseCategory))
UNITS = {
    "DAY": "days",
    "DAYS": "days",
    "D": "days",
    "WEEK": "weeks",
    "WEEKS": "weeks",
    "MONTH": "months",
    "MONTHS": "months",
    "YEAR": "years",
    "YEARS": "years",
}


class AdamImportError(Exception):
    """The files cannot make a store: none found, unreadable, a required variable missing."""


@dataclass
class DatasetReport:
    """What happened to one dataset's rows."""

    name: str
    file: str
    read: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = (
            f"{self.name.upper()} ({self.file}): {self.read} rows read, {self.kept} kept, "
            f"{sum(self.dropped.values())} dropped"
        )
        out = [head]
        out += [f"  dropped {count}: {reason}" for reason, count in self.dropped.most_common()]
        out += [f"  note: {note}" for note in self.notes]
        return out


@dataclass
class ImportResult:
    tables: dict[str, list[dict[str, Any]]]
    reports: list[DatasetReport]
    store: Store
    ignored: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"ignored {item}" for item in self.ignored]
        lines += [line for rep in self.reports for line in rep.lines()]
        meta = self.store.meta
        lines.append(
            f"study {meta.study_id or '?'}: {len(self.store.subjects)} subjects; "
            f"arms: {', '.join(meta.arms) or 'none'}"
            + (f" (control: {meta.control_arm})" if meta.control_arm else "")
        )
        return "\n".join(lines) + "\n"

    def to_json(self) -> bytes:
        """The store as TinyDB writes it: table → document id → document, each table of
        patient records as one document of columns (``knowledge.store.columns_of``)."""
        doc = {
            name: (
                {"1": {COLUMNS: columns_of(DOCUMENT_MODELS[name], rows)}}
                if name in DOCUMENT_MODELS and rows
                else {str(i): row for i, row in enumerate(rows, 1)}
            )
            for name, rows in self.tables.items()
        }
        return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


# ------------------------------------------------------------------ the map


def load_map(path: Path | str | None) -> dict[str, dict[str, Any]]:
    """The defaults, overridden table by table by a TOML map file."""
    merged = {table: dict(values) for table, values in DEFAULT_MAP.items()}
    if path is None:
        return merged
    path = Path(path)
    try:
        given = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AdamImportError(f"{path}: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise AdamImportError(f"{path}: not a valid TOML map ({error})") from None
    for table, values in given.items():
        if table not in merged or not isinstance(values, dict):
            raise AdamImportError(
                f"{path}: unknown table [{table}] (known: {', '.join(f'[{t}]' for t in merged)})"
            )
        for key, value in values.items():
            if key not in merged[table]:
                known = ", ".join(merged[table])
                raise AdamImportError(f"{path}: unknown key {key!r} in [{table}] (known: {known})")
            merged[table][key] = value
    return merged


# ------------------------------------------------------------------ finding and reading files


def find_datasets(paths: Sequence[Path | str], ignored: list[str] | None = None) -> dict[str, Path]:
    """dataset name → file, from folders and files. A file's dataset is read from its name
    (``adsl.xpt``, ``adrs_onco.csv``); in a folder, one format per dataset is read (XPT before
    SAS7BDAT before Dataset-JSON before CSV), and empty files are passed over (each said in
    ``ignored``)."""
    found: dict[str, Path] = {}
    ignored = ignored if ignored is not None else []
    for given in map(Path, paths):
        if given.is_dir():
            candidates = []
            for p in sorted(given.iterdir()):
                if not (p.is_file() and p.suffix.lower() in FORMATS):
                    continue
                if p.stat().st_size == 0:
                    ignored.append(f"{p}: empty, passed over")
                    continue
                candidates.append(p)
            by_name: dict[str, list[Path]] = {}
            for candidate in candidates:
                name = _dataset_of(candidate)
                if name is not None:
                    by_name.setdefault(name, []).append(candidate)
            for name, files in by_name.items():
                files.sort(key=lambda p: list(FORMATS).index(p.suffix.lower()))
                _add(found, name, files[0])
                ignored.extend(
                    f"{p}: {name.upper()} is read from {files[0].name}" for p in files[1:]
                )
        elif given.is_file():
            name = _dataset_of(given)
            if name is None or given.suffix.lower() not in FORMATS:
                raise AdamImportError(
                    f"{given}: not an ADSL, ADAE, ADRS or ADTTE file in a "
                    f"known format ({', '.join(FORMATS)})"
                )
            _add(found, name, given)
        else:
            raise AdamImportError(f"{given}: no such file or folder")
    if "adsl" not in found:
        where = ", ".join(str(p) for p in paths)
        raise AdamImportError(f"no ADSL among {where}: a store needs the subject-level dataset")
    return found


def _dataset_of(path: Path) -> str | None:
    stem = path.name.lower().split(".")[0]
    for name in DATASETS:
        if stem == name or stem.startswith(name + "_") or stem.startswith(name + "-"):
            return name
    return None


def _add(found: dict[str, Path], name: str, path: Path) -> None:
    if name in found and found[name] != path:
        raise AdamImportError(f"two files for {name.upper()}: {found[name]} and {path}")
    found[name] = path


def read_dataset(path: Path) -> list[dict[str, Any]]:
    """The rows of one dataset, variable names upper case, missing values None."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _read_csv(path)
        if suffix == ".json":
            return _read_dataset_json(path)
        return _read_sas(path, suffix)
    except AdamImportError:
        raise
    except OSError as error:
        raise AdamImportError(f"{path}: {error.strerror or error}") from None
    except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError, csv.Error) as error:
        raise AdamImportError(
            f"{path}: cannot read it as {FORMATS[suffix]} ({type(error).__name__}: {error})"
        ) from None


def _read_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip().upper() for name in next(reader, [])]
        return [dict(zip(header, (_clean(v) for v in row), strict=False)) for row in reader]


def _read_dataset_json(path: Path) -> list[dict[str, Any]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    if "columns" in doc and "rows" in doc:  # Dataset-JSON 1.1
        names = [column["name"].upper() for column in doc["columns"]]
        data = doc["rows"]
    else:  # Dataset-JSON 1.0
        section = doc.get("clinicalData") or doc["referenceData"]
        group = next(iter(section["itemGroupData"].values()))
        names = [item["name"].upper() for item in group["items"]]
        data = group["itemData"]
    return [{name: _clean(value) for name, value in zip(names, row, strict=False)} for row in data]


def _read_sas(path: Path, suffix: str) -> list[dict[str, Any]]:
    try:
        import pyreadstat
    except ImportError:
        raise AdamImportError(
            f"{path}: reading {FORMATS[suffix]} files needs pyreadstat: "
            "pip install 'stormchat[adam]'"
        ) from None
    reader = pyreadstat.read_xport if suffix == ".xpt" else pyreadstat.read_sas7bdat
    try:
        columns, _meta = reader(str(path), output_format="dict")
    except Exception as error:  # noqa: BLE001 - pyreadstat raises its own types
        raise AdamImportError(f"{path}: cannot read it as {FORMATS[suffix]} ({error})") from None
    names = list(columns)
    values = [list(columns[name]) for name in names]
    upper = [name.upper() for name in names]
    return [
        {name: _clean(column[i]) for name, column in zip(upper, values, strict=True)}
        for i in range(len(values[0]) if values else 0)
    ]


def _clean(value: Any) -> Any:
    """Missing → None; text stripped; numbers as float; anything else (dates) as text."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return None if text.upper() in MISSING_TEXT else text
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    try:
        number = float(value)  # numpy scalars
    except (TypeError, ValueError):
        return str(value)
    return None if math.isnan(number) else number


# ------------------------------------------------------------------ values


def _text(row: dict[str, Any], name: str | None) -> str | None:
    if name is None:
        return None
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _flag(value: Any) -> bool:
    return (
        str(value).strip().upper() in ("Y", "YES", "1", "1.0", "TRUE")
        if value is not None
        else False
    )


def _first_present(names: str | list[str] | None, variables: Iterable[str]) -> str | None:
    present = set(variables)
    for name in [names] if isinstance(names, str) else (names or []):
        if name.upper() in present:
            return name.upper()
    return None


def _require(rows: list[dict[str, Any]], path: Path, *names: str) -> None:
    variables = rows[0].keys() if rows else set()
    for name in names:
        if name not in variables:
            raise AdamImportError(f"{path}: required variable {name} is missing")


# ------------------------------------------------------------------ the datasets


def import_adam(
    paths: Sequence[Path | str], map_path: Path | str | None = None, target: Path | str = "<import>"
) -> ImportResult:
    """Read the datasets under ``paths`` into validated store tables and a report."""
    mapping = load_map(map_path)
    ignored: list[str] = []
    files = find_datasets(paths, ignored)
    reports: list[DatasetReport] = []

    adsl_rows = read_dataset(files["adsl"])
    subjects, arms, rep = _subjects(adsl_rows, files["adsl"], mapping)
    reports.append(rep)
    known = {s["USUBJID"] for s in subjects}
    events: list[dict[str, Any]] = []
    grading: AEGrading | None = None
    if "adae" in files:
        events, grading, rep = _events(read_dataset(files["adae"]), files["adae"], mapping, known)
        reports.append(rep)
    responses: list[dict[str, Any]] = []
    if "adrs" in files:
        responses, rep = _responses(read_dataset(files["adrs"]), files["adrs"], mapping, known)
        reports.append(rep)
    times: list[dict[str, Any]] = []
    if "adtte" in files:
        times, rep = _times(read_dataset(files["adtte"]), files["adtte"], mapping, known)
        reports.append(rep)

    study_ids = sorted({s["STUDYID"] for s in subjects if s.get("STUDYID")})
    study_id = study_ids[0] if study_ids else None
    control = mapping["study"]["control_arm"] or next(
        (arm for arm in arms if "placebo" in arm.lower()), None
    )
    if control is not None and control not in arms:
        raise AdamImportError(
            f"the control arm {control!r} is not one of the arms: {', '.join(arms)}"
        )
    arms = ([control] if control else []) + [arm for arm in arms if arm != control]
    title = mapping["study"]["title"] or study_id or "an imported study"
    meta = StoreMeta(
        study=title,
        schema_version=SCHEMA_VERSION,
        reconstructed=False,
        description=(
            f"Imported from the study's ADaM datasets "
            f"({', '.join(p.name for p in files.values())}): the study's own "
            "records, with no published facts beside them."
        ),
        study_id=study_id,
        title=title,
        arms=arms,
        control_arm=control,
        response_criteria=mapping["adrs"]["criteria"] if responses else None,
        ae_grading=grading,
        sources=[str(p) for p in files.values()],
    )
    tables = {
        "meta": [meta.model_dump(mode="json", exclude_none=True)],
        "facts": [],
        "adsl": subjects,
        "adrs": responses,
        "adae": events,
        "adtte": times,
    }
    as_tables: dict[str, Table] = {name: rows for name, rows in tables.items()}
    store = store_from_tables(Path(target), as_tables)
    return ImportResult(tables, reports, store, ignored)


def _subjects(
    rows: list[dict[str, Any]], path: Path, mapping: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str], DatasetReport]:
    conf = mapping["adsl"]
    rep = DatasetReport("adsl", path.name, read=len(rows))
    variables = rows[0].keys() if rows else set()
    _require(rows, path, "USUBJID", "AGE")
    arm_var = _first_present(conf["arm"], variables)
    if arm_var is None:
        names = conf["arm"] if isinstance(conf["arm"], str) else " or ".join(conf["arm"])
        raise AdamImportError(f"{path}: required variable {names} is missing")
    safety = str(conf["safety_flag"]).upper()
    _require(rows, path, safety)
    efficacy = _first_present(conf["efficacy_flag"], variables)
    if efficacy is None:
        names = conf["efficacy_flag"]
        raise AdamImportError(
            f"{path}: required variable "
            f"{names if isinstance(names, str) else ' or '.join(names)} "
            "is missing (the efficacy population flag)"
        )
    rep.notes.append(
        f"arm from {arm_var}; safety population {safety}; efficacy population {efficacy}"
    )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    arm_order: dict[str, float] = {}
    for row in rows:
        sid = _text(row, "USUBJID")
        if sid is None:
            rep.dropped["no USUBJID"] += 1
            continue
        if sid in seen:
            rep.dropped["a second row for the same USUBJID"] += 1
            continue
        seen.add(sid)
        arm = _text(row, arm_var)
        in_safety, in_efficacy = _flag(row.get(safety)), _flag(row.get(efficacy))
        if arm is not None and (in_safety or in_efficacy):
            number = _number(row.get(arm_var + "N")) if arm_var == "TRT01A" else None
            arm_order.setdefault(arm, number if number is not None else math.inf)
        age = _number(row.get("AGE"))
        if age is None:
            rep.dropped["no AGE"] += 1
            continue
        reason = _text(row, "DCSREAS")
        doc: dict[str, Any] = {
            "USUBJID": sid,
            "STUDYID": _text(row, "STUDYID"),
            "ARM": arm,
            "SAFFL": in_safety,
            "MITTFL": in_efficacy,
            "ITTFL": _flag(row["ITTFL"]) if "ITTFL" in row else None,
            "FASFL": _flag(row["FASFL"]) if "FASFL" in row else None,
            "AGE": age,
            "SEX": _text(row, "SEX"),
            "DCSREAS": reason.upper() if reason else None,
            "DTHFL": _flag(row.get("DTHFL")),
        }
        out.append({k: v for k, v in doc.items() if v is not None})
    rep.kept = len(out)
    arms = sorted(arm_order, key=lambda a: (arm_order[a], a))
    return out, arms, rep


def _events(
    rows: list[dict[str, Any]], path: Path, mapping: dict[str, dict[str, Any]], known: set[str]
) -> tuple[list[dict[str, Any]], AEGrading | None, DatasetReport]:
    conf = mapping["adae"]
    rep = DatasetReport("adae", path.name, read=len(rows))
    variables = rows[0].keys() if rows else set()
    term_var = str(conf["term"]).upper()
    _require(rows, path, "USUBJID", term_var)
    soc_var = _first_present(conf["soc"], variables)
    grade_var = _first_present(conf["grade"], variables)
    sev_var = _first_present(conf["severity"], variables)
    grading: AEGrading | None = "CTCAE" if grade_var else ("severity" if sev_var else None)
    te_only = bool(conf["treatment_emergent_only"])
    if te_only and "TRTEMFL" not in variables:
        rep.notes.append("no TRTEMFL: every row taken as treatment-emergent")
        te_only = False
    if grading is None:
        rep.notes.append("neither a CTCAE grade nor a severity: events are ungraded")
    elif grading == "severity":
        rep.notes.append(f"no {conf['grade']}: graded by severity ({sev_var})")
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    unknown: Counter[str] = Counter()
    further = 0
    for row in rows:
        sid, term = _text(row, "USUBJID"), _text(row, term_var)
        if sid not in known:
            rep.dropped["subject not in ADSL"] += 1
            continue
        if term is None:
            rep.dropped[f"no preferred term ({term_var})"] += 1
            continue
        if te_only and not _flag(row.get("TRTEMFL")):
            rep.dropped["not treatment-emergent (TRTEMFL is not Y)"] += 1
            continue
        grade = _number(row.get(grade_var)) if grade_var else None
        if grade is not None and not (1 <= grade <= 5 and grade.is_integer()):
            unknown[f"{grade_var} {grade:g}"] += 1
            grade = None
        severity = (_text(row, sev_var) or "").upper() if sev_var else ""
        if severity and severity not in SEVERITY_ORDER:
            unknown[f"{sev_var} {severity}"] += 1
            severity = ""
        outcome = (_text(row, "AEOUT") or "").upper() or None
        if outcome is not None and outcome not in OUTCOMES:
            unknown[f"AEOUT {outcome}"] += 1
            outcome = None
        action = (_text(row, "AEACN") or "").upper() or None
        if action is not None and action not in ACTIONS:
            unknown[f"AEACN {action}"] += 1
            action = None
        related = _text(row, "AEREL")
        doc = {
            "USUBJID": sid,
            "AEDECOD": term,
            "AESOC": _text(row, soc_var),
            "AETOXGR": int(grade) if grade is not None else None,
            "AESEV": severity or None,
            "AESER": _flag(row.get("AESER")),
            "AEOUT": outcome,
            "AEACN": action,
            "AEREL": related.upper() in RELATED if related else None,
        }
        key = (sid, term)
        if key in merged:
            further += 1
            merged[key] = _worse(merged[key], doc)
        else:
            merged[key] = doc
    out = [{k: v for k, v in doc.items() if v is not None} for doc in merged.values()]
    rep.kept = len(out)
    if further:
        rep.notes.append(
            f"{further} further rows of a patient's preferred term merged into "
            "one row per patient and term (worst grade, serious or fatal if "
            "any row is)"
        )
    for value, count in unknown.most_common():
        rep.notes.append(f"{count} rows with {value}, not in the code list: left blank")
    return out, grading, rep


def _rank(doc: dict[str, Any]) -> tuple[int, int]:
    severity = doc.get("AESEV")
    return (
        doc.get("AETOXGR") or 0,
        SEVERITY_ORDER.index(severity) + 1 if severity in SEVERITY_ORDER else 0,
    )


def _worse(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """One patient's two rows of a term as one: the worst row, with serious, fatal, related
    and withdrawn carried over from either."""
    worst, other = (new, old) if _rank(new) > _rank(old) else (old, new)
    out = dict(worst)
    out["AESER"] = bool(old["AESER"] or new["AESER"])
    if "FATAL" in (old["AEOUT"], new["AEOUT"]):
        out["AEOUT"] = "FATAL"
    if "DRUG WITHDRAWN" in (old["AEACN"], new["AEACN"]):
        out["AEACN"] = "DRUG WITHDRAWN"
    if old["AEREL"] or new["AEREL"]:
        out["AEREL"] = True
    out["AESOC"] = worst["AESOC"] or other["AESOC"]
    return out


def _responses(
    rows: list[dict[str, Any]], path: Path, mapping: dict[str, dict[str, Any]], known: set[str]
) -> tuple[list[dict[str, Any]], DatasetReport]:
    conf = mapping["adrs"]
    rep = DatasetReport("adrs", path.name, read=len(rows))
    _require(rows, path, "USUBJID", "PARAMCD", "AVALC")
    best = str(conf["best_response"]).upper()
    flag = str(conf["analysis_flag"]).upper() if conf["analysis_flag"] else None
    if flag:
        _require(rows, path, flag)
    params = Counter(_text(row, "PARAMCD") for row in rows)
    if best not in params:
        present = ", ".join(sorted(p for p in params if p))
        raise AdamImportError(
            f"{path}: no rows with PARAMCD {best} (best overall response); "
            f"present: {present}. Name it in the map: [adrs] best_response"
        )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    other: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for row in rows:
        sid, param = _text(row, "USUBJID"), _text(row, "PARAMCD")
        if param != best:
            other[param or "none"] += 1
            continue
        if sid not in known:
            rep.dropped["subject not in ADSL"] += 1
            continue
        if flag and not _flag(row.get(flag)):
            rep.dropped[f"not flagged {flag}"] += 1
            continue
        if sid in seen:
            rep.dropped[f"a second {best} row for the patient"] += 1
            continue
        seen.add(sid)
        value = (_text(row, "AVALC") or "").upper()
        category: str | None = {"SCR": "sCR", "NON-CR/NON-PD": "NON-CR/NON-PD"}.get(value, value)
        if category not in RESPONSES:
            unknown[value or "blank"] += 1
            category = None
        out.append({"USUBJID": sid, "PARAMCD": "BOR", "AVALC": category})
    if other:
        listed = ", ".join(f"{p} {n}" for p, n in sorted(other.items()))
        rep.dropped[f"other parameters than {best} ({listed})"] = sum(other.values())
    for value, count in unknown.most_common():
        rep.notes.append(
            f"{count} patients with AVALC {value}: kept, without a response "
            "category (counted in the denominator, as not evaluable)"
        )
    rep.kept = len(out)
    return out, rep


def _times(
    rows: list[dict[str, Any]], path: Path, mapping: dict[str, dict[str, Any]], known: set[str]
) -> tuple[list[dict[str, Any]], DatasetReport]:
    conf = mapping["adtte"]
    rep = DatasetReport("adtte", path.name, read=len(rows))
    _require(rows, path, "USUBJID", "PARAMCD", "AVAL", "CNSR")
    rename = {str(k).upper(): str(v).upper() for k, v in dict(conf["parameters"]).items()}
    default_unit = UNITS.get(str(conf["unit"]).upper())
    if default_unit is None:
        raise AdamImportError(f"[adtte] unit {conf['unit']!r}: one of days, weeks, months, years")
    if "AVALU" not in (rows[0] if rows else {}):
        rep.notes.append(f"no AVALU: AVAL taken as {default_unit} ([adtte] unit in the map)")
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        sid, param = _text(row, "USUBJID"), _text(row, "PARAMCD")
        if sid not in known:
            rep.dropped["subject not in ADSL"] += 1
            continue
        if param is None:
            rep.dropped["no PARAMCD"] += 1
            continue
        param = rename.get(param.upper(), param.upper())
        if not re.fullmatch(r"[A-Z0-9_]{1,8}", param):
            rep.dropped[f"PARAMCD {param!r} is not a CDISC parameter code"] += 1
            continue
        aval, cnsr = _number(row.get("AVAL")), _number(row.get("CNSR"))
        if aval is None or aval < 0:
            rep.dropped[f"{param}: AVAL missing or negative"] += 1
            continue
        if cnsr not in (0.0, 1.0):
            rep.dropped[f"{param}: CNSR neither 0 nor 1"] += 1
            continue
        unit_text = _text(row, "AVALU")
        unit = UNITS.get(unit_text.upper()) if unit_text else default_unit
        if unit is None:
            rep.dropped[f"{param}: AVALU {unit_text!r} is not a unit of time"] += 1
            continue
        if (sid, param) in seen:
            rep.dropped[f"{param}: a second row for the patient"] += 1
            continue
        seen.add((sid, param))
        doc = {
            "USUBJID": sid,
            "PARAMCD": param,
            "AVAL": aval,
            "AVALU": unit,
            "CNSR": int(cnsr),
            "PARAM": _text(row, "PARAM"),
        }
        out.append({k: v for k, v in doc.items() if v is not None})
    rep.kept = len(out)
    counts = Counter(doc["PARAMCD"] for doc in out)
    rep.notes.append("parameters: " + ", ".join(f"{p} ({n})" for p, n in sorted(counts.items())))
    return out, rep


# The model classes the documents must validate as (for readers of this module).
DOCUMENT_MODELS: dict[str, type[Subject | AdverseEvent | BestResponse | TimeToEvent]] = {
    "adsl": Subject,
    "adae": AdverseEvent,
    "adrs": BestResponse,
    "adtte": TimeToEvent,
}
