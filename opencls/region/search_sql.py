"""The SQL text vectors of the PostgreSQL search, shared by the index migration and the query
(an expression index is used only when the query repeats its expression exactly)."""

ACTION_COLUMNS = ("title", "description", "target_publics", "context")
OPERATION_COLUMNS = ("title", "description", "target_publics", "objective_text")
CONFIGS = ("french_unaccent", "french")


def text_vector(config: str, columns: tuple[str, ...], table: str = "") -> str:
    if config not in CONFIGS:  # never user input, but this text is SQL
        raise ValueError(config)
    prefix = f'"{table}".' if table else ""
    text = " || ' ' || ".join(f"COALESCE({prefix}\"{column}\", '')" for column in columns)
    return f"to_tsvector('{config}'::regconfig, {text})"


INDEXES = [
    ("region_action_fts", "actions_action", lambda config: text_vector(config, ACTION_COLUMNS)),
    ("region_operation_fts", "actions_operation", lambda config: text_vector(config, OPERATION_COLUMNS)),
]
