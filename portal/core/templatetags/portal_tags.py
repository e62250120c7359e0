from django import template

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return getattr(bound_field.field.widget, "input_type", None) == "checkbox"


@register.simple_tag
def field_widget(bound_field):
    """Render a widget with aria-describedby/aria-invalid pointing at its hint and errors."""
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def forms_have_errors(*forms) -> bool:
    return any(f is not None and f.is_bound and f.errors for f in forms)


@register.filter
def make_list_of(value) -> list:
    """Wrap one object in a list (to pass a single form where a list of forms is expected)."""
    return [value]
