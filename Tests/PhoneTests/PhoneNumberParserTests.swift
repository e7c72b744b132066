import Testing
@testable import Phone

/// Numbers below were checked against Debian 12's libphonenumber 8.12.57. US 201-555-01xx and
/// similar 555-01xx numbers are fictional yet valid (fixed line or mobile); Ofcom's drama range
/// 07700 900xxx is *invalid* in libphonenumber, so the UK examples use its own example mobile
/// 07400 123456.
@Suite struct PhoneNumberParserTests {
    let us: PhoneNumberParser

    init() throws {
        us = try PhoneNumberParser(defaultRegion: "US")
    }

    @Test(arguments: [
        "+12015550123", "(201) 555-0123", "201.555.0123", "201-555-0123", "2015550123",
        "+1 201 555 0123", "+1 (201) 555-0123", "1 201 555 0123", "011 1 201 555 0123",
        "tel:+1-201-555-0123", " +1 201 555 0123 ",
    ])
    func usNotationsNormaliseToOneE164(input: String) throws {
        let number = try us.parse(input)
        #expect(number.e164 == "+12015550123")
        #expect(number.region == "US")
        #expect(number.countryCode == 1)
        #expect(number.type == .fixedLineOrMobile)
    }

    @Test(arguments: [
        ("GB", "07400 123456", "+447400123456"),
        ("GB", "+44 7400 123456", "+447400123456"),
        ("DE", "0151 23456789", "+4915123456789"),
        ("FR", "06 12 34 56 78", "+33612345678"),
        ("US", "+44 7400 123456", "+447400123456"),
        ("US", "011 44 7400 123456", "+447400123456"),
    ])
    func nationalNotationUsesTheDefaultRegion(region: String, input: String, e164: String) throws {
        let parser = try PhoneNumberParser(defaultRegion: region)
        let number = try parser.parse(input)
        #expect(number.e164 == e164)
        #expect(number.type == .mobile)
    }

    /// The list handed to integration tests: if libphonenumber's metadata changes, this says so.
    @Test(arguments: [
        ("+12015550100", "US"), ("+12015550123", "US"), ("+12015550199", "US"),
        ("+12025550123", "US"), ("+13125550123", "US"), ("+14155550123", "US"),
        ("+16465550123", "US"), ("+16505550123", "US"),
        ("+447400123456", "GB"), ("+447400000000", "GB"), ("+447400999999", "GB"),
        ("+447700123456", "GB"), ("+447900123456", "GB"),
        ("+4915123456789", "DE"), ("+4917612345678", "DE"), ("+33612345678", "FR"),
        ("+15062345678", "CA"),
    ])
    func documentedTestNumbersAreAccepted(e164: String, region: String) throws {
        let number = try us.parse(e164)
        #expect(number.e164 == e164)
        #expect(number.region == region)
        #expect(number.type.canReceiveVerificationTexts)
    }

    @Test func ofcomDramaNumbersAreInvalidInLibphonenumber() {
        #expect(throws: PhoneNumberProblem.noSuchNumber(defaultRegion: "US")) { try us.parse("+447700900123") }
    }

    @Test(arguments: [
        ("+19005550123", PhoneNumberType.premiumRate),
        ("+449098790123", .premiumRate),
        ("+499001234567", .premiumRate),
        ("+33891123456", .premiumRate),
        ("+4918012345", .sharedCost),
        ("+33884012345", .sharedCost),
        ("+18005550123", .tollFree),
        ("+448001234567", .tollFree),
        ("+15005550006", .personalNumber),
        ("+447012345678", .personalNumber),
        ("+447640123456", .pager),
        ("+443031234567", .uan),
        ("+49177991234567", .voicemail),
        ("+442079460123", .fixedLine),
        ("+4930123456", .fixedLine),
        ("+33123456789", .fixedLine),
    ])
    func numbersThatCannotReceiveTextsAreRefused(e164: String, type: PhoneNumberType) {
        #expect(throws: PhoneNumberProblem.cannotReceiveTexts(type)) { try us.parse(e164) }
    }

    @Test(arguments: [("+445612345678", "GB"), ("+33912345678", "FR")])
    func voipNumbersAreAccepted(e164: String, region: String) throws {
        let number = try us.parse(e164)
        #expect(number.type == .voip)
        #expect(number.region == region)
    }

    @Test func restrictedParserRefusesOtherRegions() throws {
        let parser = try PhoneNumberParser(defaultRegion: "US", allowedRegions: ["US", "CA"])
        #expect(try parser.parse("+12015550123").region == "US")
        #expect(try parser.parse("+15062345678").region == "CA")
        #expect(throws: PhoneNumberProblem.regionNotAccepted(region: "GB")) { try parser.parse("+447400123456") }
        #expect(throws: PhoneNumberProblem.regionNotAccepted(region: "DE")) { try parser.parse("+4915123456789") }
    }

    /// +44 7911 is Guernsey's, not Great Britain's: the region is the one libphonenumber assigns.
    @Test func regionIsTheNumbersOwnNotItsCallingCodes() throws {
        let parser = try PhoneNumberParser(defaultRegion: "GB", allowedRegions: ["GB"])
        #expect(throws: PhoneNumberProblem.regionNotAccepted(region: "GG")) { try parser.parse("07911 123456") }
    }

    @Test func emptyAllowedRegionsAcceptEveryRegion() throws {
        let parser = try PhoneNumberParser(defaultRegion: "US", allowedRegions: [])
        #expect(try parser.parse("+33612345678").region == "FR")
    }

    @Test func regionRestrictionIsCheckedBeforeType() throws {
        let parser = try PhoneNumberParser(defaultRegion: "US", allowedRegions: ["US"])
        #expect(throws: PhoneNumberProblem.regionNotAccepted(region: "GB")) { try parser.parse("+449098790123") }
    }

    @Test(arguments: [
        "", " ", "abc", "+", "++", "-", "()", "😀", "📞📞📞", "phone", "\u{0}",
        "+1 201 555 0123\u{0}", "\u{0}+12015550123",
        String(repeating: "1", count: 60),
        "+1 201 555 0123 0123 0123 0123 0123 0123 0123",  // 41 characters
    ])
    func garbageIsNotANumber(input: String) {
        #expect(throws: PhoneNumberProblem.notANumber(defaultRegion: "US")) { try us.parse(input) }
    }

    @Test(arguments: [
        ("+1 201 555 012", PhoneNumberProblem.tooShort),
        ("12", .tooShort),
        ("+1 201 555 01234", .tooLong),
        ("+1 201 555 0123 4567 8", .tooLong),
        ("+999 123 4567", .unknownCountryCode),
        ("+1 700 555 0123", .noSuchNumber(defaultRegion: "US")),
        ("001 201 555 0123", .tooLong),  // 001 is no international prefix in the US (011 is)
        ("201 555 0123 ext. 5", .hasExtension),
        ("1-800-MICROSOFT", .tooLong),
    ])
    func malformedNumbersSayWhy(input: String, problem: PhoneNumberProblem) {
        #expect(throws: problem) { try us.parse(input) }
    }

    @Test func inputAtTheLengthLimitIsStillRead() throws {
        let input = "+1 201 555 0123" + String(repeating: " ", count: 25)
        #expect(input.unicodeScalars.count == PhoneNumberParser.maximumInputLength)
        #expect(try us.parse(input).e164 == "+12015550123")
    }
}
