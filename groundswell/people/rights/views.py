"""Supporters' rights, public and for organizers.

Public (/people/my-data/): a supporter asks for a link by email, and with it sees,
downloads or erases everything held about them. The page answers the same whatever
address is typed. The link's token is read once and swapped for a grant in the session,
so that the data pages' addresses (and access logs) hold no token. Organizers
(/manage/<org>/people/<supporter>/...): owners and admins relay a supporter's request
(their organization's copy, the full copy by email link, erasure from their
organization); owners read the audit log.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.accounts.models import User
from groundswell.core.http import client_ip
from groundswell.organizations.actions import NotAllowed
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.organizations.permissions import membership_for
from groundswell.people import audit, registry
from groundswell.people.models import Activity, AuditEvent, Channel, Erasure, Person, Supporter
from groundswell.people.rights import actions as rights
from groundswell.people.rights import staff
from groundswell.people.rights.forms import AuditFilterForm, DataRequestForm

View = Callable[..., HttpResponseBase]

AUDIT_PAGE_SIZE = 50
DATA_COPY_DETAIL = "data copy"  # the audit detail of an organizer's data copy download
# Audit entries of these kinds always name one person: with the link gone, they were erased.
ONE_PERSON_ACTIONS = {AuditEvent.Action.VIEWED, AuditEvent.Action.CHANGED, AuditEvent.Action.ERASED}

# Labels for the fields of a supporter's copy, including those higher apps' providers
# use (a field not named here is shown by its name).
FIELD_LABELS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "other_emails": gettext_lazy("Other email addresses"),
    "phone": gettext_lazy("Phone number"),
    "phones": gettext_lazy("Phone numbers"),
    "address": gettext_lazy("Street address"),
    "city": gettext_lazy("City"),
    "state": gettext_lazy("State"),
    "zip_code": gettext_lazy("ZIP code"),
    "language": gettext_lazy("Language we write to you in"),
    "languages": gettext_lazy("Languages"),
    "created_at": gettext_lazy("First recorded"),
    "updated_at": gettext_lazy("Last changed"),
    "petition": gettext_lazy("Petition"),
    "comment": gettext_lazy("Comment"),
    "shown_publicly": gettext_lazy("Name shown publicly"),
    "source": gettext_lazy("How you came"),
    "signed_at": gettext_lazy("Signed"),
    "confirmed_at": gettext_lazy("Confirmed"),
    "ip_address": gettext_lazy("IP address"),
}
SECTION_TITLES = {"signatures": gettext_lazy("Petition signatures")}


# --- Helpers ------------------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """A page with someone's personal data: never stored by a browser or proxy, never
    indexed, and its address (which holds the token) never sent to another site as a
    Referer. (Not "no-referrer": browsers then send "Origin: null", failing CSRF.)"""
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _readable(value: Any) -> str:
    """One value of a data copy as people read it: dates in their language, lists
    joined, yes/no, a dash for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_readable(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_readable(item)}" for key, item in value.items())
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return str(value)


def _rows(fields: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(FIELD_LABELS.get(name, name.replace("_", " ").capitalize())), _readable(value))
        for name, value in fields.items()
    ]


def _channel(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def _activity(code: str) -> str:
    return str(Activity.Kind(code).label) if code in Activity.Kind.values else code


def readable_copy(copy: dict[str, Any]) -> dict[str, Any]:
    """The supporter's copy (rights.data_copy) arranged for the page."""
    person = copy["person"]
    known = {"generated_at", "person", "organizations", "consents", "tags", "lists", "activities"}
    # Shown by the page's own notes (_staff_accounts.html, _kept_after_erasure.html).
    known |= {"staff_accounts", "kept_after_erasure"}
    providers = {provider.name: provider for provider in registry.providers()}
    more = []
    for name, section in copy.items():
        if name in known:
            continue
        items = section.get("items", [section]) if isinstance(section, dict) else list(section)
        provider = providers.get(name)
        title = getattr(provider, "title", None) or SECTION_TITLES.get(name) or name.capitalize()
        more.append({"name": name, "title": str(title), "items": [_rows(i) for i in items]})
    return {
        "generated_at": _readable(copy["generated_at"]),
        "details": _rows(person),
        "organizations": [
            {
                "name": o["organization"],
                "since": _readable(o["since"]),
                "how": o["how"] or "—",
                "details": [row for row in _rows(o["details"]) if row[1] != "—"],
                "custom_fields": _rows(o["custom_fields"]),
            }
            for o in copy["organizations"]
        ],
        "consents": [
            {
                "organization": c["organization"],
                "channel": _channel(c["channel"]),
                "given_at": _readable(c["given_at"]),
                "how": c["how"] or "—",
                "withdrawn_at": _readable(c["withdrawn_at"]) if c["withdrawn_at"] else "",
            }
            for c in copy["consents"]
        ],
        "tags": [{**t, "at": _readable(t["at"])} for t in copy["tags"]],
        "lists": [{**m, "at": _readable(m["at"])} for m in copy["lists"]],
        "activities": [
            {
                "organization": a["organization"] or "—",
                "what": _activity(a["what"]),
                "summary": _channel(a["summary"]) if a["summary"] else "—",
                "at": _readable(a["at"]),
            }
            for a in copy["activities"]
        ],
        "more": more,
    }


def _invalid_link(request: HttpRequest, error: rights.LinkError) -> HttpResponse:
    response = render(request, "people/rights/invalid.html", {"expired": error.expired}, status=400)
    return _private(response)


# --- Public: a supporter's own data ------------------------------------------------------

# The session key holding what an opened data link grants (rights.DataGrant): the link's
# token then appears in one request only, never in the addresses of the data pages (and
# so in no access log, browser history or Referer beyond that one request).
GRANT_SESSION_KEY = "people:data-grant"
# However long the link still works, a browser holds the grant this long at most: on
# a shared computer, someone's data does not stay open for days. The link opens it again.
GRANT_MAX_SECONDS = 2 * 3600


def _keep_grant(request: HttpRequest, grant: rights.DataGrant) -> None:
    until = min(grant.expires_at, int(timezone.now().timestamp()) + GRANT_MAX_SECONDS)
    request.session.cycle_key()  # a session planted beforehand gains nothing
    request.session[GRANT_SESSION_KEY] = {"p": grant.person_id, "a": grant.fingerprint, "u": until}


def _forget_grant(request: HttpRequest) -> None:
    if GRANT_SESSION_KEY in request.session:
        del request.session[GRANT_SESSION_KEY]


def _granted(request: HttpRequest) -> Person | None:
    """The person whose data this browser opened by link, if the grant still holds
    (checked anew: not expired, not erased, the address still theirs); a grant that no
    longer holds is dropped."""
    stored = request.session.get(GRANT_SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        grant = rights.DataGrant(int(stored["p"]), str(stored["a"]), int(stored["u"]))
        return rights.granted_person(grant)
    except (KeyError, TypeError, ValueError, rights.LinkError):
        _forget_grant(request)
        return None


def _not_open(request: HttpRequest) -> HttpResponse:
    """A data page without a grant: opened in another browser, closed, or too long ago."""
    response = render(request, "people/rights/invalid.html", {"not_open": True}, status=400)
    return _private(response)


@require_http_methods(["GET", "HEAD", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """Ask for a link by email. The answer is the same whether or not the address is
    known, whether or not a rate limit held the email back."""
    if request.method == "POST":
        form = DataRequestForm(request.POST)
        if form.is_valid():
            rights.request_data_link(form.cleaned_data["email"], ip=client_ip(request))
            return HttpResponseRedirect(reverse("people:my_data_sent"), status=303)
        status = 400
    else:
        form = DataRequestForm()
        status = 200
    response = render(request, "people/rights/request.html", {"form": form}, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def my_data_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "people/rights/sent.html", {"days": rights.link_max_age() // 86400})


@require_safe
def my_data_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: check it, keep what it grants in the session, and go on to the
    data page, whose address holds no token. Changes nothing else (mail scanners open
    links)."""
    try:
        grant = rights.open_data_link(token)
    except rights.LinkError as error:
        return _invalid_link(request, error)
    _keep_grant(request, grant)
    return _private(HttpResponseRedirect(reverse("people:my_data_view"), status=303))


@require_safe
def my_data_view(request: HttpRequest) -> HttpResponse:
    """What is held about them, readable."""
    person = _granted(request)
    if person is None:
        return _not_open(request)
    copy = rights.data_copy(person)
    context = {"copy": readable_copy(copy), "staff_accounts": copy["staff_accounts"]}
    return _private(render(request, "people/rights/data.html", context))


def _json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    body = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@require_safe
def my_data_json(request: HttpRequest) -> HttpResponse:
    person = _granted(request)
    if person is None:
        return _not_open(request)
    return _json_download(rights.data_copy(person), "my-data.json")


@require_http_methods(["GET", "HEAD", "POST"])
def my_data_erase(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; the POST (with the page's CSRF token) erases."""
    person = _granted(request)
    if person is None:
        return _not_open(request)
    if request.method == "POST":
        _forget_grant(request)
        # Erased a moment ago (a second click in another tab) is the outcome asked for.
        with contextlib.suppress(Person.DoesNotExist):
            rights.erase(person, via=Erasure.Via.SUPPORTER)
        return _private(HttpResponseRedirect(reverse("people:my_data_erased"), status=303))
    known_by = Supporter.objects.filter(person=person).select_related("organization")
    context = {
        "organizations": [s.organization.name for s in known_by],
        "staff_accounts": staff.described(staff.staff_memberships(person)),
    }
    return _private(render(request, "people/rights/erase.html", context))


@require_POST
def my_data_close(request: HttpRequest) -> HttpResponse:
    """Close the data pages in this browser (a shared computer): the link opens them again."""
    _forget_grant(request)
    messages.success(request, _("Your data is closed in this browser."))
    return _private(HttpResponseRedirect(reverse("people:my_data"), status=303))


@require_safe
def my_data_erased(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "people/rights/erased.html"))


# --- Organizers: relaying a supporter's request ------------------------------------------


def _signed_in(view: View) -> View:
    """Send a visitor who is not signed in to the login page; the view checks roles."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def _supporter(request: HttpRequest, org: str, supporter_id: int) -> tuple[Organization, Supporter]:
    """The organization's supporter, for its owners and admins. 403 below admin; 404
    for another organization's supporter, as for a missing id. The row is annotated
    `contactable`."""
    organization = membership_for(request, org, minimum=Role.ADMIN).organization
    found = get_object_or_404(
        Supporter.objects.visible_to(organization).select_related("person"), pk=supporter_id
    )
    return organization, found


def _known_as(supporter: Supporter) -> str:
    """How the organization knows the person: the name it was given, never another
    organization's (Person's own name or address is not this organization's to see)."""
    return supporter.full_name or _("Supporter %(id)s") % {"id": supporter.pk}


def _rights_context(organization: Organization, supporter: Supporter) -> dict[str, Any]:
    return {
        "organization": organization,
        "supporter": supporter,
        "known_as": _known_as(supporter),
        # Only the address this organization itself holds, with consent: whether
        # another organization holds one is none of its business.
        "relay_address": rights.relay_address(supporter),
    }


@_signed_in
@require_safe
def manage_rights(request: HttpRequest, org: str, supporter: int) -> HttpResponse:
    organization, found = _supporter(request, org, supporter)
    return render(request, "people/rights/manage.html", _rights_context(organization, found))


@_signed_in
@require_safe
def data_copy(request: HttpRequest, org: str, supporter: int) -> HttpResponse:
    """This organization's copy of what it holds about the person (JSON)."""
    organization, found = _supporter(request, org, supporter)
    copy = rights.organization_copy(found.person, organization)
    audit.record(
        organization,
        AuditEvent.Action.EXPORTED,
        request=request,
        person=found.person,
        detail=DATA_COPY_DETAIL,
        records=1,
    )
    return _json_download(copy, f"supporter-{found.pk}-{organization.slug}.json")


def _relay_link(request: HttpRequest, organization: Organization, supporter: Supporter) -> None:
    """Email the supporter their data link at the address this organization holds, and
    say how it went."""
    address = rights.relay_address(supporter)
    if address is None:
        messages.error(request, _("You have no email address of theirs to send a link to."))
    elif rights.email_data_link(supporter.person, address, organization=organization):
        messages.success(request, _("A link to their data is on its way to the supporter."))
    else:
        messages.error(
            request,
            _("You sent this supporter a link several times today. Try again tomorrow."),
        )


@_signed_in
@require_POST
def send_data_link(request: HttpRequest, org: str, supporter: int) -> HttpResponse:
    """Email the supporter the link to their full data (everything, every organization)."""
    organization, found = _supporter(request, org, supporter)
    _relay_link(request, organization, found)
    return HttpResponseRedirect(
        reverse("people_manage:rights", args=[organization.slug, found.pk]), status=303
    )


@_signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request: HttpRequest, org: str, supporter: int) -> HttpResponse:
    """GET asks for confirmation; POST erases the person from this organization, as they
    asked, and (if the organizer ticks it) emails them the link to erase everything."""
    organization, found = _supporter(request, org, supporter)
    if request.method == "POST":
        user = request.user
        assert isinstance(user, User)
        address = rights.relay_address(found)
        person = found.person
        try:
            erasure = rights.erase_from_organization(person, organization, by=user, request=request)
        except (Supporter.DoesNotExist, Person.DoesNotExist):
            erasure = None  # erased a moment ago (a second click): the outcome asked for
        if erasure is not None and address and request.POST.get("send_link"):
            # Nothing to send for a person erased outright: nothing else was held. The
            # message is the same, so that the organization learns nothing from it.
            if erasure.records.get("person") or rights.email_data_link(
                person, address, organization=organization
            ):
                messages.success(
                    request,
                    _(
                        "If anything else is held about them here, a link to see and erase "
                        "it is on its way to them."
                    ),
                )
            else:
                messages.error(
                    request,
                    _("You sent this supporter a link several times today. No link was sent."),
                )
        return HttpResponseRedirect(
            reverse("people_manage:erased", args=[organization.slug]), status=303
        )
    return render(request, "people/rights/manage_erase.html", _rights_context(organization, found))


@_signed_in
@require_safe
def erased(request: HttpRequest, org: str) -> HttpResponse:
    organization = membership_for(request, org, minimum=Role.ADMIN).organization
    return render(request, "people/rights/manage_erased.html", {"organization": organization})


# --- Owners and admins: a staff member who erased their supporter data -------------------


@_signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def staff_erased(request: HttpRequest, org: str, member: int) -> HttpResponse:
    """Decide about a staff member's account after they erased their supporter data:
    keep them, or take them off the staff (their work to another member, or to nobody),
    which ends the account once no staff keeps it (people.rights.staff.decide)."""
    actor = membership_for(request, org, minimum=Role.ADMIN)
    organization = actor.organization
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=member, organization=organization
    )
    others = organization.memberships.exclude(pk=target.pk).select_related("user")
    error = ""
    if request.method == "POST":
        choice = request.POST.get("decision", "")
        chosen = request.POST.get("successor", "")
        successor = others.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if choice in ("keep", "remove"):
            try:
                ended = staff.decide(
                    actor, target, keep=choice == "keep", successor=successor, request=request
                )
            except NotAllowed as refused:
                error = str(refused)
            else:
                if choice == "keep":
                    messages.success(request, _("They stay on the staff."))
                elif ended:
                    messages.success(
                        request, _("They were taken off the staff and their account is ended.")
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "They were taken off your staff. Their account stays for the "
                            "other organizations whose staff they are on."
                        ),
                    )
                return HttpResponseRedirect(
                    reverse("organizations_manage:members", args=[organization.slug]), status=303
                )
        else:
            error = _("Choose whether they stay on the staff.")
    context = {"organization": organization, "target": target, "others": others, "error": error}
    return render(
        request,
        "people/rights/manage_staff_erased.html",
        context,
        status=400 if error else 200,
    )


# --- Owners: the audit log ----------------------------------------------------------------


def _about_one_person(event: AuditEvent) -> bool:
    return event.action in ONE_PERSON_ACTIONS or (
        event.action == AuditEvent.Action.EXPORTED and event.detail == DATA_COPY_DETAIL
    )


@_signed_in
@require_safe
def audit_log(request: HttpRequest, org: str) -> HttpResponse:
    """Who viewed, exported or changed supporter data, newest first."""
    organization = membership_for(request, org, minimum=Role.OWNER).organization
    form = AuditFilterForm(request.GET or None, organization=organization)
    events = AuditEvent.objects.filter(organization=organization).select_related("user")
    status = 200
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["action"]:
                events = events.filter(action=form.cleaned_data["action"])
            if form.cleaned_data["user"]:
                events = events.filter(user=form.cleaned_data["user"])
        else:
            events = events.none()
            status = 400
    page = Paginator(events.order_by("-at", "-pk"), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events_shown = list(page.object_list)
    # Entries link to the person as this organization knows them (its Supporter row),
    # never by the platform-wide person id.
    supporters = dict(
        Supporter.objects.filter(
            organization=organization,
            person_id__in={event.person_id for event in events_shown if event.person_id},
        ).values_list("person_id", "pk")
    )
    for event in events_shown:
        event.about_one_person = _about_one_person(event)
        event.supporter_id = supporters.get(event.person_id)
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "events": events_shown,
        "filters": filters.urlencode(),
    }
    return render(request, "people/manage/audit.html", context, status=status)
