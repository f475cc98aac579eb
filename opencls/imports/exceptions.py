class ImportRejected(Exception):
    """The document cannot be imported; the message says why, in French, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
