"""Form behaviour every Groundswell form shares."""

from __future__ import annotations

from django import forms


class AccessibleErrorsMixin(forms.BaseForm):
    """Tie each field's error list to its input (aria-describedby), for screen readers.

    Templates render the errors in an element with id "<field id>-errors".
    """

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                error_id = f"{self[name].auto_id}-errors"
                described = widget.attrs.get("aria-describedby", "")
                if error_id not in described.split():
                    widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
