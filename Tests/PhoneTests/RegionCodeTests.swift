import Testing
@testable import Phone

@Suite struct RegionCodeTests {
    @Test(arguments: ["US", "GB", "DE", "FR", "CA", "GG", "us", " gb "])
    func knownRegions(code: String) {
        #expect(PhoneNumberParser.isKnownRegion(code))
    }

    @Test(arguments: ["", "ZZ", "001", "XX", "UK", "USA", "U", "1", "U\u{0}S", "🇺🇸"])
    func unknownRegions(code: String) {
        #expect(!PhoneNumberParser.isKnownRegion(code))
    }

    @Test func unknownDefaultRegionIsRejectedNamingTheKey() {
        #expect(throws: UnknownRegionCode(code: "UK", key: "phone.default_region")) {
            try PhoneNumberParser(defaultRegion: "UK")
        }
    }

    @Test func unknownAllowedRegionIsRejectedNamingTheKey() {
        #expect(throws: UnknownRegionCode(code: "XX", key: "phone.allowed_regions")) {
            try PhoneNumberParser(defaultRegion: "US", allowedRegions: ["US", "XX"])
        }
    }

    @Test func errorDescriptionNamesKeyAndCode() {
        let error = UnknownRegionCode(code: "UK", key: "phone.default_region")
        #expect(error.description.hasPrefix("phone.default_region: unknown region code \"UK\""))
    }

    @Test func codesAreNormalised() throws {
        let parser = try PhoneNumberParser(defaultRegion: " gb", allowedRegions: ["us ", "Gb"])
        #expect(parser.defaultRegion == "GB")
        #expect(parser.allowedRegions == ["US", "GB"])
        #expect(try parser.parse("07400 123456").e164 == "+447400123456")
    }
}
