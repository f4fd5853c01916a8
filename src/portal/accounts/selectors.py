from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from portal.accounts.models import (
    ConsentDocument,
    ConsentRecord,
    Member,
    MemberRequest,
    OneTimePassword,
)

# Other apps ask which members hold a right through here (layers: apps meet at selectors).
from portal.accounts.rights import right_holders as right_holders
from portal.core.acting import Acting
from portal.core.scope import Queue, sees_queue
from portal.core.thaiid import pid_hash
from portal.registries.selectors import MessageProgress, message_progress


def not_thai_reason() -> str:
    """ACC-01: why someone the civil registry records as not Thai cannot register, in the
    sense of the FAQ's answer (seeds/i-industry-faq.txt, line 57)."""
    return _(
        "Only people of Thai nationality can register. The civil registry records this "
        "national ID as belonging to someone who is not a Thai national. The Industry Portal "
        "is meant for Thai people and for organisations whose work is done by Thai staff."
    )


def member_registry_name(*, member) -> dict:
    """SSO-09: the name the civil registry gives now when it differs from the profile's
    (found after a login), else {}."""
    return dict(member.registry_name or {}) if member.is_active else {}


def member_active(*, member_id: int) -> Member | None:
    """The member with this id while the account is active (a login half-way, SSO-04)."""
    return Member.objects.filter(pk=member_id, status=Member.Status.ACTIVE).first()


def member_by_national_id(*, pid: str) -> Member | None:
    return Member.objects.filter(pid_hash=pid_hash(pid)).first()


def current_consent_documents(*, kind: str) -> list[ConsentDocument]:
    """The newest published, not withdrawn, version of each purpose of this kind."""
    documents = ConsentDocument.objects.filter(kind=kind, withdrawn=False).order_by(
        "purpose", "-version"
    )
    newest: dict[str, ConsentDocument] = {}
    for document in documents:
        newest.setdefault(document.purpose, document)
    return sorted(newest.values(), key=lambda d: (d.order, d.purpose))


def current_terms() -> ConsentDocument | None:
    documents = current_consent_documents(kind=ConsentDocument.Kind.TERMS)
    return documents[0] if documents else None


def consent_documents_unanswered(*, member: Member) -> list[ConsentDocument]:
    """ACC-09: the PDPA documents whose current version this member has not answered."""
    current = current_consent_documents(kind=ConsentDocument.Kind.PDPA)
    if not current:
        return []
    answered = set(
        ConsentRecord.objects.filter(
            member=member, document__in=[d.pk for d in current]
        ).values_list("document_id", flat=True)
    )
    return [d for d in current if d.pk not in answered]


def member_consent_history(*, member: Member) -> QuerySet[ConsentRecord]:
    return (
        ConsentRecord.objects.filter(member=member)
        .select_related("document")
        .order_by("-created_at")
    )


def member_requests(*, member: Member) -> QuerySet[MemberRequest]:
    return MemberRequest.objects.filter(member=member).order_by("-created_at")


def member_request_for_member(*, member: Member, request_id: int) -> MemberRequest | None:
    return MemberRequest.objects.filter(member=member, pk=request_id).first()


def member_request_kinds() -> list[tuple[str, str]]:
    """(value, label) of the kinds of members' requests, for the officers' filter."""
    return list(MemberRequest.Kind.choices)


def member_requests_for_officer(*, acting: Acting) -> QuerySet[MemberRequest]:
    """ADM-01: every member request the officer's agency answers for (none for the others);
    an officer's own request is listed but not theirs to decide."""
    if not sees_queue(acting.officer, Queue.MEMBER_REQUESTS):
        return MemberRequest.objects.none()
    return MemberRequest.objects.all()


def member_request_for_officer(*, acting: Acting, request_id: int) -> MemberRequest | None:
    """One request the officer's agency answers for (ADM-01), with its member."""
    return (
        member_requests_for_officer(acting=acting)
        .select_related("member")
        .filter(pk=request_id)
        .first()
    )


def pending_member_requests(*, acting: Acting, kind: str | None = None) -> QuerySet[MemberRequest]:
    requests = (
        member_requests_for_officer(acting=acting)
        .filter(status=MemberRequest.Status.PENDING)
        .select_related("member")
    )
    if kind:
        requests = requests.filter(kind=kind)
    return requests.order_by("created_at")


def member_request_counts(*, acting: Acting) -> dict[str, int]:
    rows = (
        member_requests_for_officer(acting=acting)
        .filter(status=MemberRequest.Status.PENDING)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {row["kind"]: row["n"] for row in rows}


def members_with_pending_requests() -> QuerySet[Member]:
    return Member.objects.filter(
        Exists(MemberRequest.objects.filter(member=OuterRef("pk"), status="pending"))
    )


def member_current_consents(*, member: Member, documents: list[ConsentDocument]) -> dict[int, bool]:
    """The member's latest answer to each of these documents (the current PDPA ones, which
    the caller has already read for its form), by document id."""
    answers: dict[int, bool] = {}
    for record in ConsentRecord.objects.filter(
        member=member, document__in=[d.pk for d in documents]
    ).order_by("created_at", "id"):
        answers[record.document_id] = record.granted
    return answers


def otp_message_topic(*, member_id: int, purpose: str) -> str:
    """The outbound-message topic of a member's codes for one purpose (no personal data)."""
    return f"otp-{purpose}-{member_id}"


def otp_delivery(*, otp: OneTimePassword) -> MessageProgress | None:
    """Whether the message carrying this code was sent yet, is being sent, or failed.

    Pages say "a code was sent" only once the gateway accepted it (None: a code issued before
    messages were recorded, taken as sent).
    """
    return message_progress(topic=otp_message_topic(member_id=otp.member_id, purpose=otp.purpose))
