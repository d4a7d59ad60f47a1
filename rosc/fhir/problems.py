"""Why a FHIR request is refused: an HTTP status and the OperationOutcome issues to send."""

# One issue: (FHIR issue type code, what is wrong in plain words, FHIRPath of the element or None)
Issue = tuple[str, str, str | None]


class FhirProblem(Exception):
    """Raised by parsing and services; the views answer it as an OperationOutcome."""

    def __init__(self, status: int, issues: list[Issue]) -> None:
        super().__init__("; ".join(text for _code, text, _where in issues))
        self.status = status
        self.issues = issues


def invalid(text: str, where: str | None = None, code: str = "invalid") -> FhirProblem:
    """A single 422 problem."""
    return FhirProblem(422, [(code, text, where)])
