"""URL converters. `<id:pk>` matches a database id: digits that fit a signed 64-bit column.

Django's `<int:…>` matches any run of digits, so /hall/apply/99999999999999999999999/ reached the database and
failed there with an OverflowError (a 500). A longer number is simply not a URL of the site (404).
"""

from portal.forms import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # Django answers 404 for a converter's ValueError
        return number

    def to_url(self, value) -> str:
        return str(int(value))
