"""The one error every assessments service raises."""


class AssessmentError(Exception):
    """A write the rules refuse. ``code`` is stable for API clients; the message is for people.

    ``status`` is the HTTP status the API answers with (400 bad input, 409 state conflict).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        field: str | None = None,
        question_id: int | None = None,
    ):
        super().__init__(message)
        self.code, self.message, self.status, self.field = code, message, status, field
        self.question_id = question_id
