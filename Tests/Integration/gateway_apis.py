"""What the SMS gateways of the README's `sms.provider = http` recipes document, as checks:
per gateway the path with the account's ids, the exact authentication header, the fields a send
requires and the ones it knows, the number format, the success answer and the error shape.
fake_gateways.py serves them.

Sources (read for the facts, nothing copied):
- Plivo, "Send a message": POST https://api.plivo.com/v1/Account/{auth_id}/Message/, HTTP Basic
  with Auth ID and Auth Token, JSON; `src` (or `powerpack_uuid`), `dst` (digits with the country
  code; `+`, `-`, `.`, `(`, `)`, `/` and spaces are stripped), `text`; 202 with `api_id`,
  `message`, `message_uuid` (a list).
- Sinch SMS API, Batches "Send": POST https://{region}.sms.api.sinch.com/xms/v1/{service_plan_id}/batches,
  `Authorization: Bearer {API token}`, JSON; `to` (1 to 1000 E.164 numbers), `body`, optional
  `from`; 201 with the batch (`id`, `type` "mt_text", …); errors `{"code", "text"}`.
- Telnyx, "Send a message": POST https://api.telnyx.com/v2/messages, `Authorization: Bearer {API
  key}`, JSON; `to` (+E.164), `from`, `text`; 200 with `{"data": {"record_type": "message", …}}`;
  errors `{"errors": [{"code", "title", "detail"}]}`.
- Bird Channels API, "Send a message" and "Sending SMS messages": POST
  https://api.bird.com/workspaces/{workspaceId}/channels/{channelId}/messages,
  `Authorization: AccessKey {key}`, JSON; `receiver.contacts[].identifierValue` (+E.164,
  `identifierKey` "phonenumber"), `body.type` "text" with `body.text.text`; 202 "accepted".
- MessageBird REST API, "Send outbound SMS": POST https://rest.messagebird.com/messages,
  `Authorization: AccessKey {key}`; `recipients` (numbers in international format), `originator`
  (a number or up to 11 alphanumeric characters), `body`; 201 with the message object.
- ClickSend REST v3, "Send SMS": POST https://rest.clicksend.com/v3/sms/send, HTTP Basic with the
  API username and key, JSON `{"messages": [{"to", "body", "from", "source", …}]}`; 200 with
  `http_code`, `response_code` "SUCCESS", `data.messages[].status`.
"""
from __future__ import annotations

import base64
import re
import secrets
import time
import uuid
from dataclasses import dataclass


def basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


E164 = re.compile(r"^\+[1-9][0-9]{5,14}$")
DIGITS = re.compile(r"^[1-9][0-9]{5,14}$")

# Credentials a site owner would set; the values are made up.
PLIVO_AUTH_ID = "MAZTE5ZDRJOTVHODHMMZ"
PLIVO_AUTH_TOKEN = "ZmFrZS1wbGl2by1hdXRoLXRva2Vu"
SINCH_SERVICE_PLAN_ID = "jd63jf88477ll123ab4567cd89012ef3"
SINCH_API_TOKEN = "fake0sinch0api0token0123456789ab"
TELNYX_API_KEY = "KEY0123456789ABCDEF_fakeTelnyxSecret"
BIRD_WORKSPACE_ID = "a1405560-c8d3-4b1a-877d-3f449ad95352"
BIRD_CHANNEL_ID = "f2b3c4d5-e6f7-4a8b-9c0d-1e2f3a4b5c6d"
BIRD_ACCESS_KEY = "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIj"
MESSAGEBIRD_ACCESS_KEY = "test_gshuPaZoeEG6ovbc8M79w0QyM"
CLICKSEND_USERNAME = "site-owner@example.com"
CLICKSEND_API_KEY = "F2B1E1A4-5D7C-4B5A-9E0E-0123456789AB"

# What each recipe's site owner puts in the environment.
ENVIRONMENT: dict[str, dict[str, str]] = {
    "plivo": {"PLIVO_AUTH_ID": PLIVO_AUTH_ID, "PLIVO_BASIC_AUTH": basic(PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN)},
    "sinch": {"SINCH_SERVICE_PLAN_ID": SINCH_SERVICE_PLAN_ID, "SINCH_API_TOKEN": SINCH_API_TOKEN},
    "telnyx": {"TELNYX_API_KEY": TELNYX_API_KEY},
    "bird": {"BIRD_WORKSPACE_ID": BIRD_WORKSPACE_ID, "BIRD_CHANNEL_ID": BIRD_CHANNEL_ID, "BIRD_ACCESS_KEY": BIRD_ACCESS_KEY},
    "messagebird": {"MESSAGEBIRD_ACCESS_KEY": MESSAGEBIRD_ACCESS_KEY},
    "clicksend": {"CLICKSEND_BASIC_AUTH": basic(CLICKSEND_USERNAME, CLICKSEND_API_KEY)},
}

# The documented host of each API, which the recipe must name (the test then points it here).
HOSTS = {
    "plivo": "api.plivo.com",
    "sinch": "us.sms.api.sinch.com",
    "telnyx": "api.telnyx.com",
    "bird": "api.bird.com",
    "messagebird": "rest.messagebird.com",
    "clicksend": "rest.clicksend.com",
}


class Refused(Exception):
    """A request the real gateway would refuse: (status, body)."""

    def __init__(self, status: int, body: dict, problem: str):
        super().__init__(problem)
        self.status = status
        self.body = body
        self.problem = problem


def fields_problem(obj: dict, required: set[str], known: set[str]) -> str | None:
    missing = sorted(required - set(obj))
    unknown = sorted(set(obj) - known)
    if missing:
        return f"missing fields {missing}"
    if unknown:
        return f"fields the API does not document: {unknown}"
    return None


def string_field(obj: dict, name: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or value == "":
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


# ----- one checker per gateway: JSON body → {"to", "text", "from"}, or raise -----------------

def check_plivo(body: dict) -> dict:
    problem = fields_problem(body, {"dst", "text"}, {
        "src", "dst", "text", "type", "url", "method", "log", "trackable", "powerpack_uuid",
        "media_urls", "media_ids", "message_expiry", "dlt_entity_id", "dlt_template_id", "dlt_template_category"})
    if problem:
        raise Refused(400, {"api_id": str(uuid.uuid4()), "error": problem}, problem)
    if "src" not in body and "powerpack_uuid" not in body:
        raise Refused(400, {"api_id": str(uuid.uuid4()), "error": "src parameter not present"}, "neither src nor powerpack_uuid")
    dst = string_field(body, "dst")
    sanitized = re.sub(r"[/\-.+() ]", "", dst)
    if not DIGITS.match(sanitized) or len(sanitized) > 14:
        raise Refused(400, {"api_id": str(uuid.uuid4()), "error": "invalid dst"}, f"dst {dst!r}")
    return {"to": "+" + sanitized, "text": string_field(body, "text"), "from": string_field(body, "src")}


def check_sinch(body: dict) -> dict:
    problem = fields_problem(body, {"to", "body"}, {
        "to", "from", "body", "type", "udh", "delivery_report", "send_at", "expire_at", "callback_url",
        "client_reference", "feedback_enabled", "flash_message", "truncate_concat",
        "max_number_of_message_parts", "from_ton", "from_npi", "parameters"})
    if problem:
        raise Refused(400, {"code": "syntax_constraint_violation", "text": problem}, problem)
    to = body["to"]
    if not isinstance(to, list) or not 1 <= len(to) <= 1000 or not all(isinstance(n, str) and E164.match(n) for n in to):
        raise Refused(400, {"code": "syntax_constraint_violation", "text": "to: invalid"}, f"to {to!r}: a list of E.164 numbers")
    return {"to": to[0], "text": string_field(body, "body"), "from": body.get("from")}


def check_telnyx(body: dict) -> dict:
    problem = fields_problem(body, {"to"}, {
        "to", "from", "text", "messaging_profile_id", "subject", "media_urls", "webhook_url",
        "webhook_failover_url", "use_profile_webhooks", "type", "auto_detect", "send_at"})
    if problem:
        raise Refused(422, {"errors": [{"code": "10015", "title": "Bad Request", "detail": problem}]}, problem)
    to = string_field(body, "to")
    if not E164.match(to):
        raise Refused(422, {"errors": [{"code": "40310", "title": "Invalid 'to' address", "detail": to}]}, f"to {to!r} is not +E.164")
    if "from" not in body and "messaging_profile_id" not in body:
        raise Refused(422, {"errors": [{"code": "40305", "title": "Invalid 'from' address"}]}, "no from")
    return {"to": to, "text": string_field(body, "text"), "from": body.get("from")}


def check_bird(body: dict) -> dict:
    problem = fields_problem(body, {"receiver", "body"}, {
        "sender", "receiver", "body", "template", "reference", "meta", "scheduledFor", "tags",
        "shortLinks", "ignoreQuietHours", "notification", "context"})
    if problem:
        raise Refused(422, {"code": "InvalidPayload", "message": problem}, problem)
    try:
        contacts = body["receiver"]["contacts"]
        assert isinstance(contacts, list) and len(contacts) == 1
        contact = contacts[0]
        assert set(contact) <= {"id", "identifierKey", "identifierValue", "type", "identifiers"}
        assert contact.get("identifierKey", "phonenumber") == "phonenumber"
        to = contact["identifierValue"]
        assert isinstance(to, str) and E164.match(to)
        message = body["body"]
        assert set(message) == {"type", "text"} and message["type"] == "text"
        assert set(message["text"]) <= {"text", "actions"}
        text = message["text"]["text"]
        assert isinstance(text, str) and text
    except (AssertionError, KeyError, TypeError) as error:
        raise Refused(422, {"code": "InvalidPayload", "message": "The request did not pass validation"},
                      f"not an SMS text message to one phone number: {error!r} in {body!r}")
    return {"to": to, "text": text, "from": None}


def check_messagebird(body: dict) -> dict:
    problem = fields_problem(body, {"recipients", "originator", "body"}, {
        "recipients", "originator", "body", "type", "reference", "reportUrl", "validity", "gateway",
        "typeDetails", "datacoding", "mclass", "scheduledDatetime", "createdDatetime", "shortenUrls"})
    if problem:
        raise Refused(422, {"errors": [{"code": 9, "description": problem, "parameter": None}]}, problem)
    recipients = body["recipients"]
    if not isinstance(recipients, list) or len(recipients) != 1 or not DIGITS.match(str(recipients[0])):
        raise Refused(422, {"errors": [{"code": 9, "description": "no (correct) recipients found", "parameter": "recipients"}]},
                      f"recipients {recipients!r}: numbers in international format, without +")
    originator = string_field(body, "originator")
    if not (re.fullmatch(r"\+?[0-9]{1,17}", originator) or re.fullmatch(r"[A-Za-z0-9 ]{1,11}", originator)):
        raise Refused(422, {"errors": [{"code": 9, "description": "originator is invalid", "parameter": "originator"}]},
                      f"originator {originator!r}")
    return {"to": "+" + str(recipients[0]), "text": string_field(body, "body"), "from": originator}


def check_clicksend(body: dict) -> dict:
    problem = fields_problem(body, {"messages"}, {"messages"})
    if problem or not isinstance(body["messages"], list) or len(body["messages"]) != 1:
        problem = problem or "messages must be a list of one message"
        raise Refused(400, {"http_code": 400, "response_code": "BAD_REQUEST", "response_msg": problem, "data": None}, problem)
    message = body["messages"][0]
    problem = fields_problem(message, {"body", "to"}, {
        "body", "to", "from", "source", "schedule", "custom_string", "list_id", "country", "from_email"})
    if problem:
        raise Refused(400, {"http_code": 400, "response_code": "BAD_REQUEST", "response_msg": problem, "data": None}, problem)
    to = string_field(message, "to")
    if not E164.match(to):
        raise Refused(400, {"http_code": 400, "response_code": "BAD_REQUEST", "response_msg": "invalid to", "data": None}, f"to {to!r}")
    return {"to": to, "text": string_field(message, "body"), "from": message.get("from")}


@dataclass
class Spec:
    path: str            # a regex, matched whole
    auth: str            # the exact Authorization header
    check: object        # body dict -> message dict
    success: object      # message dict -> (status, body)
    refusal: tuple[int, dict]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


SPECS: dict[str, Spec] = {
    "plivo": Spec(
        rf"/v1/Account/{PLIVO_AUTH_ID}/Message/", "Basic " + basic(PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN), check_plivo,
        lambda m: (202, {"api_id": str(uuid.uuid4()), "message": "message(s) queued", "message_uuid": [str(uuid.uuid4())]}),
        (400, {"api_id": "x", "error": "dst number is invalid"})),
    "sinch": Spec(
        rf"/xms/v1/{SINCH_SERVICE_PLAN_ID}/batches", "Bearer " + SINCH_API_TOKEN, check_sinch,
        lambda m: (201, {"id": "01FC66621XXXXX119Z8PMV1QPQ", "to": [m["to"]], "from": m["from"], "canceled": False,
                         "body": m["text"], "type": "mt_text", "created_at": _now(), "modified_at": _now(),
                         "delivery_report": "none", "flash_message": False}),
        (400, {"code": "syntax_constraint_violation", "text": "to: +1201555012 is not a valid phone number"})),
    "telnyx": Spec(
        r"/v2/messages", "Bearer " + TELNYX_API_KEY, check_telnyx,
        lambda m: (200, {"data": {"record_type": "message", "direction": "outbound", "id": str(uuid.uuid4()),
                                  "type": "SMS", "from": {"phone_number": m["from"]},
                                  "to": [{"phone_number": m["to"], "status": "queued"}], "text": m["text"],
                                  "encoding": "GSM-7", "parts": 1, "received_at": _now(), "errors": []}}),
        (422, {"errors": [{"code": "40310", "title": "Invalid 'to' address", "detail": "+12015550123 is not reachable"}]})),
    "bird": Spec(
        rf"/workspaces/{BIRD_WORKSPACE_ID}/channels/{BIRD_CHANNEL_ID}/messages", "AccessKey " + BIRD_ACCESS_KEY, check_bird,
        lambda m: (202, {"id": str(uuid.uuid4()), "channelId": BIRD_CHANNEL_ID, "status": "accepted", "reason": "",
                         "receiver": {"contacts": [{"identifierKey": "phonenumber", "identifierValue": m["to"]}]},
                         "createdAt": _now(), "updatedAt": _now()}),
        (422, {"code": "InvalidPayload", "message": "The request did not pass validation"})),
    "messagebird": Spec(
        r"/messages", "AccessKey " + MESSAGEBIRD_ACCESS_KEY, check_messagebird,
        lambda m: (201, {"id": secrets.token_hex(16), "href": "https://rest.messagebird.com/messages/x", "direction": "mt",
                         "type": "sms", "originator": m["from"], "body": m["text"], "datacoding": "auto",
                         "createdDatetime": _now(), "recipients": {"totalCount": 1, "totalSentCount": 1, "items": [
                             {"recipient": int(m["to"][1:]), "status": "sent", "statusDatetime": _now()}]}}),
        (422, {"errors": [{"code": 9, "description": "no (correct) recipients found", "parameter": "recipients"}]})),
    "clicksend": Spec(
        r"/v3/sms/send", "Basic " + basic(CLICKSEND_USERNAME, CLICKSEND_API_KEY), check_clicksend,
        lambda m: (200, {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Messages queued for delivery.",
                         "data": {"total_count": 1, "queued_count": 1, "messages": [
                             {"to": m["to"], "body": m["text"], "from": m["from"], "status": "SUCCESS",
                              "message_id": str(uuid.uuid4()).upper(), "message_parts": 1}]}}),
        (400, {"http_code": 400, "response_code": "BAD_REQUEST", "response_msg": "invalid to", "data": None})),
}
