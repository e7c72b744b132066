import Config
import FoundationEssentials
import Messaging
import Storage

/// `tokens.provider = twilio-verify`: Twilio Verify v2 makes, sends and checks the code.
///
/// - start: `POST {verify_api_base}/v2/Services/{ServiceSid}/Verifications` with the form fields
///   `To` (E.164) and `Channel=sms`; Twilio answers 201 with the Verification resource
///   (`sid` VE…, `status` "pending").
/// - check: `POST …/v2/Services/{ServiceSid}/VerificationCheck` with `To` and `Code`; 200 with
///   `status` "approved" for the right code, "pending" for a wrong one; 404 (error 20404) when
///   no verification is pending for `To` (expired after Twilio's 10 minutes, approved already,
///   or never started); 429 with error 60202 after too many checks.
///
/// HTTP Basic auth with the Account SID and Auth Token. Twilio writes the message itself (the
/// service's template), so `sms.template`, `sms.webotp` and `tokens.digits` do not apply; our
/// attempt limit, cooldown and send limits still do (`PhoneVerifier`).
public final class TwilioVerifyCodeIssuer: CodeIssuer {
    public static let providerName = "twilio-verify"
    public let name = TwilioVerifyCodeIssuer.providerName
    public let checksRemotely = true

    private let serviceURL: String
    private let credentials: BasicAuth
    private let timeouts: HTTPTimeouts
    private let client = HTTPClient()

    /// Reads `twilio.account_sid`, `twilio.auth_token` and `twilio.verify_service_sid` (VA…,
    /// required) and `twilio.verify_api_base` (default `https://verify.twilio.com`; `http://`
    /// only for a loopback test double).
    public convenience init(config: Config) {
        self.init(config: config, timeouts: .standard)
    }

    public init(config: Config, timeouts: HTTPTimeouts) {
        let who = "tokens.provider = twilio-verify"
        let accountSid = config.required("twilio.account_sid", by: who)
        if !accountSid.isEmpty && !Self.isSid(accountSid, prefix: "AC") {
            config.fail("twilio.account_sid", "must be the Account SID: AC followed by 32 hexadecimal digits")
        }
        credentials = BasicAuth(username: accountSid, password: config.required("twilio.auth_token", by: who))
        let serviceSid = config.required("twilio.verify_service_sid", by: who)
        if !serviceSid.isEmpty && !Self.isSid(serviceSid, prefix: "VA") {
            config.fail("twilio.verify_service_sid", "must be a Verify Service SID: VA followed by 32 hexadecimal digits")
        }
        let base = ApiBaseURL.read("twilio.verify_api_base", from: config, default: "https://verify.twilio.com")
        serviceURL = "\(base)/v2/Services/\(serviceSid)"
        self.timeouts = timeouts
    }

    /// Twilio keeps one pending code per number and knows no purposes; our pending row's purpose
    /// still decides which step a code is checked for, and a new start replaces Twilio's code.
    public func issue(to phoneNumber: String, for user: UserRecord, purpose: VerificationPurpose, now: Date)
        throws(SmsSendError) -> [UInt8]? {
        let message = SmsMessage(to: phoneNumber, body: "")
        guard message.hasE164Recipient else {
            throw SmsSendError(provider: name, kind: .recipient, detail: "recipient is not an E.164 number")
        }
        let response: HTTPResponse
        do {
            response = try client.send(.form(url: "\(serviceURL)/Verifications", fields: [("To", phoneNumber), ("Channel", "sms")],
                                             basicAuth: credentials, timeouts: timeouts))
        } catch {
            throw SmsSendError(provider: name, kind: .unavailable, detail: error.isTimeout ? "timed out: \(error.message)" : error.message)
        }
        guard response.isSuccess else { throw Self.startError(for: response) }
        return nil
    }

    public func check(_ code: String, against pending: PendingVerification, for user: UserRecord, now: Date)
        throws(CodeCheckFailure) -> CodeCheck {
        // Twilio takes 4 to 10 characters; anything else cannot be right, and is not sent.
        guard (4...10).contains(code.utf8.count), code.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return .wrong }
        let response: HTTPResponse
        do {
            response = try client.send(.form(url: "\(serviceURL)/VerificationCheck",
                                             fields: [("To", pending.phoneNumber), ("Code", code)],
                                             basicAuth: credentials, timeouts: timeouts))
        } catch {
            throw CodeCheckFailure(provider: name, detail: error.isTimeout ? "timed out: \(error.message)" : error.message)
        }
        let body = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
        switch response.status {
        case 200...299:
            switch body?.status {
            case "approved": return .right
            case "pending": return .wrong
            case "max_attempts_reached": return .burned
            case "canceled", "expired", "deleted", "failed": return .expired
            default:
                throw CodeCheckFailure(provider: name, detail: "HTTP \(response.status) with status \(body?.status ?? "missing")")
            }
        case 404:
            return .expired
        case 429 where body?.code == 60202:
            return .burned
        default:
            throw CodeCheckFailure(provider: name, detail: Self.detail(response, body))
        }
    }

    /// The fields we read of both Verify answers and of Twilio's error body.
    private struct Answer: Decodable {
        let status: String?
        let code: Int?
        let message: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // In an error body `status` is the HTTP status, a number.
            status = try? container.decodeIfPresent(String.self, forKey: .status)
            code = try? container.decodeIfPresent(Int.self, forKey: .code)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
        }

        enum CodingKeys: String, CodingKey {
            case status, code, message
        }
    }

    private static func detail(_ response: HTTPResponse, _ body: Answer?) -> String {
        let code = body?.code.map { " (error \($0))" } ?? ""
        return "HTTP \(response.status)\(code): \(body?.message ?? "no error message")"
    }

    /// Maps a refused start, by Twilio's error code first, then by HTTP status.
    static func startError(for response: HTTPResponse) -> SmsSendError {
        let body = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
        let kind: SmsSendError.Kind
        switch body?.code {
        case 60200, 60205, 60006:
            // invalid parameter (a malformed To), SMS to a landline, a number the carrier
            // calls invalid
            kind = .recipient
        case 20003, 20404, 60238:
            // authentication, no such Verify service, account blocked pending review
            kind = .configuration
        case 60203, 60212, 20429:
            // too many sends to this number at Twilio, too many concurrent requests
            kind = .unavailable
        default:
            kind = .forHTTPStatus(response.status)
        }
        return SmsSendError(provider: providerName, kind: kind,
                            providerCode: body?.code.map(String.init) ?? "HTTP \(response.status)",
                            detail: detail(response, body))
    }

    static func isSid(_ text: String, prefix: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count == 34 && text.utf8.dropFirst(2).allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
        }
    }
}
