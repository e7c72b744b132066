import Foundation
import Storage
import Testing
import Timekeeping
import Web
@testable import Countersign

/// The phone pages under the SMS guards: the neutral 429, and the events that tell the operator.
@Suite struct PhoneAbusePageTests {
    private func app() throws -> TestApp {
        let app = try TestApp(extra: "[sms]\nprovider = file\npath = sms.jsonl")
        try app.signedInUser()
        return app
    }

    private func send(_ app: TestApp, _ number: String) throws -> Response {
        try app.post("/Account/SendPhoneVerificationCode", [("PhoneNumber", number)], formPage: "/Account/ConfirmPhoneNumber")
    }

    private func smsCount(_ app: TestApp) -> Int {
        ((try? String(contentsOfFile: app.folder + "/sms.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test func aNumberOutsideTheDefaultRegionIsRefusedAndRecorded() throws {
        let app = try app()
        let response = try send(app, "+44 7400 123456")
        #expect(response.status == 422)
        #expect(smsCount(app) == 0)
        let event = try #require(try app.services.storage.events.events(since: nil, userId: nil).last)
        #expect(event.kind == "number-refused")
        #expect(event.detail == "region GB not allowed")
        #expect(event.ipAddress == TestApp.remoteAddress)
    }

    @Test func aBlockedNumberGetsTheNeutral429() throws {
        let app = try app()
        try app.services.storage.blockedNumbers.block(BlockedNumber(phoneNumber: "+12015550123", blockedAt: app.clock.now, until: nil))
        let response = try send(app, "+12015550123")
        #expect(response.status == 429)
        #expect(response.header("Retry-After") != nil)
        #expect(response.text.contains("Sending a code to this number is not possible right now."))
        #expect(!response.text.lowercased().contains("blocked"))
        #expect(smsCount(app) == 0)
        let event = try #require(try app.services.storage.events.events(since: nil, userId: nil).last)
        #expect(event.kind == "limit-hit")
        #expect(event.detail == "blockedNumber: blocked by the operator")
        #expect(event.phoneNumber == "US ••23")
    }
}

@Suite struct EventLineTests {
    @Test func anEventLineIsJSONWithTheNumberMasked() throws {
        let event = SecurityEvent(time: Date(timeIntervalSince1970: 1_795_694_400), kind: "code-sent", userId: "u1",
                                  ipAddress: "2001:db8::1", phoneNumber: "+12015550123", detail: "provider \"log\"")
        let line = OperatorCommands.line(event)
        #expect(line == #"{"time": "2026-11-26T12:00:00Z", "kind": "code-sent", "user_id": "u1", "client": "2001:db8::1", "phone": "US ••23", "detail": "provider \"log\""}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["phone"] as? String == "US ••23")
        let bare = OperatorCommands.line(SecurityEvent(time: Date(timeIntervalSince1970: 0), kind: "k"))
        #expect(bare.contains(#""user_id": null"#))
    }
}
