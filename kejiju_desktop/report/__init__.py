"""Annual report: sections -> wording -> charts -> docx writer."""
