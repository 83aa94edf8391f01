from enum import StrEnum


class UrlCitationType(StrEnum):
    URL_CITATION = "url_citation"

    def __str__(self) -> str:
        return str(self.value)
