"""Compare what a dry run announces with what applying stored (issue 17): every field of the dry
run's contract JSON must be found, equal, in the applied contract exported by contracts/io.py."""

from opencls.core.text import normalize_value


def differences(announced, stored, path: str = "") -> list[str]:
    """Where `announced` (a dry run) is not contained in `stored` (the export of what was applied).
    Dicts: each announced key, with an equal value (an export may hold more keys); lists: same length,
    item by item; an empty announced value matches an empty or absent stored one."""
    if isinstance(announced, dict):
        if not isinstance(stored, dict):
            return [f"{path} : attendu un objet, trouvé {stored!r}"]
        found = []
        for key, value in announced.items():
            found += differences(value, stored.get(key), f"{path}/{key}")
        return found
    if isinstance(announced, list):
        stored = stored or []
        if len(announced) != len(stored):
            return [f"{path} : {len(announced)} élément(s) annoncé(s), {len(stored)} enregistré(s)"]
        return [d for index, (a, s) in enumerate(zip(announced, stored, strict=True))
                for d in differences(a, s, f"{path}/{index}")]  # fmt: skip
    if announced in ("", None) and stored in ("", None, []):
        return []
    return (
        []
        if normalize_value(announced) == stored
        else [f"{path} : annoncé {announced!r}, enregistré {stored!r}"]
    )


def by_place(items: list[dict]) -> dict[tuple, dict]:
    return {(item["axis"], item["action"]): item for item in items}
