import Testing
@testable import Phone

@Suite struct PhoneNumberPresentationTests {
    let parser: PhoneNumberParser

    init() throws {
        parser = try PhoneNumberParser(defaultRegion: "US")
    }

    @Test(arguments: [
        ("+12015550123", "+1 ••• ••• 0123"),
        ("+447400123456", "+44 ••• ••• 3456"),
        ("+4915123456789", "+49 • ••• ••• 6789"),
        ("+33612345678", "+33 •• ••• 5678"),
        ("+37251234567", "+372 • ••• 4567"),
    ])
    func maskingKeepsCountryCodeAndLastFourDigits(e164: String, masked: String) throws {
        #expect(try parser.parse(e164).masked == masked)
    }

    /// Niue numbers have four national digits: only two stay visible.
    @Test func shortNationalNumbersKeepAtLeastHalfHidden() {
        let number = PhoneNumber(e164: "+6834002", region: "NU", countryCode: 683, type: .fixedLineOrMobile)
        #expect(number.masked == "+683 •• 02")
    }

    @Test func interpolationShowsOnlyTheMaskedForm() throws {
        let number = try parser.parse("(201) 555-0123")
        #expect("\(number)" == "+1 ••• ••• 0123")
        #expect(!"\(number)".contains("555"))
    }

    @Test(arguments: [
        (PhoneNumberProblem.notANumber(defaultRegion: "US"), "Enter a valid phone number, with the country code if it is not a US number."),
        (.noSuchNumber(defaultRegion: "FR"), "Enter a valid phone number, with the country code if it is not an FR number."),
        (.regionNotAccepted(region: "GB"), "Phone numbers from this country are not accepted."),
        (.cannotReceiveTexts(.premiumRate), "This kind of number cannot receive text messages (premium-rate, shared-cost and similar numbers are refused). Enter a mobile number."),
        (.cannotReceiveTexts(.fixedLine), "This is a landline number, which cannot receive text messages. Enter a mobile number."),
    ])
    func messagesAreSentencesForTheUser(problem: PhoneNumberProblem, message: String) {
        #expect(problem.message == message)
    }
}
