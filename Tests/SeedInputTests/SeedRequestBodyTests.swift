import Testing

@testable import SeedInput

@Suite("POST body parsing")
struct SeedRequestBodyTests {
    private func parse(_ text: String) -> Result<Int64, SeedInputError> {
        SeedRequestBody.parse(Array(text.utf8))
    }

    @Test(
        "integers and their integral forms are accepted exactly",
        arguments: [
            (#"{"num": 100}"#, Int64(100)),
            (#"{"num":-5}"#, -5),
            (#"{"num": 0}"#, 0),
            (#"{"num": -0}"#, 0),
            (#"{"num": 1e2}"#, 100),
            (#"{"num": 1E+2}"#, 100),
            (#"{"num": 1.0}"#, 1),
            (#"{"num": 2.50e1}"#, 25),
            (#"{"num": 12300e-2}"#, 123),
            (#"{"num": 9223372036854775807}"#, Int64.max),
            (#"{"num": -9223372036854775808}"#, Int64.min),
            (#"{"num": 9007199254740993}"#, 9_007_199_254_740_993),
            (#"{"num": 9007199254740993.0}"#, 9_007_199_254_740_993),
            (#"{"num": 9.223372036854775807e18}"#, Int64.max),
            (#"  {"other": [1, {"x": null}], "num": 7, "more": "text"}  "#, 7),
            (#"{"a": {"num": 1}, "s": "\"num\": 2, ", "num": 3}"#, 3),
            (#"{"n\u0075m": 42}"#, 42),
            (#"{"num": 100000000000000000000e-2}"#, 1_000_000_000_000_000_000),
            (#"{"num": 1e0000000000000000000000000000002}"#, 100),
        ])
    func accepts(body: String, expected: Int64) {
        #expect(parse(body) == .success(expected))
    }

    @Test(
        "each bad body is refused with its own reason",
        arguments: [
            ("", SeedInputError.emptyBody),
            ("   \n\t", .emptyBody),
            ("{", .malformedJSON),
            (#"{"num": }"#, .malformedJSON),
            (#"{"num": 5"#, .malformedJSON),
            (#"{num: 5}"#, .malformedJSON),
            (#"{"num": NaN}"#, .malformedJSON),
            (#"{"num": Infinity}"#, .malformedJSON),
            (#"{"num": -Infinity}"#, .malformedJSON),
            (#"{"num": 0x10}"#, .malformedJSON),
            (#"{"num": +5}"#, .malformedJSON),
            (#"{"num": 05}"#, .malformedJSON),
            (#"{"num": .5}"#, .malformedJSON),
            ("num=5", .malformedJSON),
            (#"{"num": ５}"#, .malformedJSON),
            ("[1]", .notAnObject(found: "an array")),
            ("100", .notAnObject(found: "a number")),
            (#""100""#, .notAnObject(found: "a string")),
            ("true", .notAnObject(found: "a boolean")),
            ("null", .notAnObject(found: "null")),
            ("{}", .missingNum),
            (#"{"Num": 5}"#, .missingNum),
            (#"{"num": "5"}"#, .numNotANumber(found: "a string")),
            (#"{"num": true}"#, .numNotANumber(found: "a boolean")),
            (#"{"num": null}"#, .numNotANumber(found: "null")),
            (#"{"num": [5]}"#, .numNotANumber(found: "an array")),
            (#"{"num": {"value": 5}}"#, .numNotANumber(found: "an object")),
            (#"{"num": 1.5}"#, .numNotAnInteger),
            (#"{"num": -0.1}"#, .numNotAnInteger),
            (#"{"num": 1e-2}"#, .numNotAnInteger),
            (#"{"num": 9223372036854775806.5}"#, .numNotAnInteger),
            (#"{"num": 1.0000000000000000000000000000000000000001}"#, .numNotAnInteger),
            (#"{"num": 1e-400}"#, .numNotAnInteger),
            (#"{"num": -05}"#, .malformedJSON),
            (#"{"num": 00}"#, .malformedJSON),
            (#"{"num": 1, "num": 2}"#, .duplicateNum),
            (#"{"num": 1, "n\u0075m": 2}"#, .duplicateNum),
            (#"{"num": "x", "num": 1}"#, .duplicateNum),
            (#"{"num": 1, "num": null}"#, .duplicateNum),
            (#"{"num": 9223372036854775808}"#, .numOutOfRange),
            (#"{"num": -9223372036854775809}"#, .numOutOfRange),
            (#"{"num": 1e19}"#, .numOutOfRange),
            (#"{"num": 1e300}"#, .numOutOfRange),
            (#"{"num": 1e400}"#, .numOutOfRange),
            (#"{"num": 18446744073709551616}"#, .numOutOfRange),
        ])
    func refuses(body: String, expected: SeedInputError) {
        #expect(parse(body) == .failure(expected))
    }

    @Test("a number with hundreds of digits is out of range, not broken JSON")
    func hugeInteger() {
        let digits = String(repeating: "9", count: 900)
        #expect(parse(#"{"num": \#(digits)}"#) == .failure(.numOutOfRange))
        #expect(parse(#"{"num": -\#(digits)}"#) == .failure(.numOutOfRange))
    }

    @Test("the value comes from every digit, however many, not from a rounded copy")
    func longLiterals() {
        let zeros = String(repeating: "0", count: 44)
        #expect(parse(#"{"num": 0.\#(zeros)12e47}"#) == .success(120))
        #expect(parse(#"{"num": 0.\#(zeros)12e46}"#) == .success(12))
        #expect(parse(#"{"num": 0.\#(zeros)12e45}"#) == .failure(.numNotAnInteger))
        #expect(parse(#"{"num": 7\#(zeros)e-44}"#) == .success(7))
        #expect(parse(#"{"num": 7.\#(zeros)1}"#) == .failure(.numNotAnInteger))
        #expect(parse(#"{"num": 1e99999999999999999999999}"#) == .failure(.numOutOfRange))
        #expect(parse(#"{"num": 0e99999999999999999999999}"#) == .success(0))
    }

    @Test("a tiny fraction is not rounded to zero")
    func tinyFraction() {
        #expect(parse(#"{"num": 1e-400}"#) == .failure(.numNotAnInteger))
        #expect(parse(#"{"num": -1e-400}"#) == .failure(.numNotAnInteger))
        #expect(parse(#"{"num": 0.000000000000000000000000000000000000000000001}"#) == .failure(.numNotAnInteger))
    }

    @Test(
        "what Foundation's decoder lets through but RFC 8259 forbids is refused as not JSON",
        arguments: [
            #"{"num": 5,}"#, #"{"num": [5,], "x": 1}"#, #"{"num": 1, "x": -E+18}"#, #"{"num": 1, "x": 01}"#,
            #"{"num": 1, "x": 1.}"#, #"{"num": 1, "x": [-]}"#, #"{"num": 6, "x": "\["}"#, #"{"num": 6, "x": "\u12"}"#,
            "{\"num\": 6, \"x\": \"a\u{01}b\"}", "{\"num\": 6, \"x\": \"tab\there\"}", "2\u{0}",
        ])
    func foundationLeniencies(body: String) {
        #expect(parse(body) == .failure(.malformedJSON))
    }

    @Test("bytes that are not UTF-8 are not JSON")
    func invalidUTF8() {
        let body = Array(#"{"num": 7, "x": ""#.utf8) + [0xC3, 0x2D] + Array(#""}"#.utf8)
        #expect(SeedRequestBody.parse(body) == .failure(.malformedJSON))
    }

    @Test("strict JSON with escapes, unicode and nesting is still accepted")
    func strictStillAccepted() {
        #expect(parse(#"{"x": "a\"b\\c\/\u00e9\n", "y": [1, {"z": []}], "num": 8}"#) == .success(8))
        #expect(parse(#"{"x": "é ☃ 𝄞", "num": 9}"#) == .success(9))
    }

    @Test("a body over the limit is refused as too large, whatever it holds")
    func tooLarge() {
        let body = #"{"num": 1, "pad": "\#(String(repeating: "x", count: SeedRequestBody.maximumBytes))"}"#
        #expect(parse(body) == .failure(.bodyTooLarge(limit: SeedRequestBody.maximumBytes)))
        #expect(SeedInputError.bodyTooLarge(limit: 1).isBodyTooLarge)
        #expect(!SeedInputError.malformedJSON.isBodyTooLarge)
    }

    @Test("deep nesting is refused without crashing")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parse(#"{"num": \#(deep)}"#) == .failure(.bodyTooLarge(limit: SeedRequestBody.maximumBytes)))
        let nested = #"{"x": "# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + #", "num": 3}"#
        #expect(parse(nested) == .failure(.bodyTooLarge(limit: SeedRequestBody.maximumBytes)))
        let fits = #"{"x": "# + String(repeating: "[", count: 400) + String(repeating: "]", count: 400) + #", "num": 3}"#
        #expect(parse(fits) == .success(3))
    }

    @Test("a body that ends inside 513 open brackets is refused, not a crash")
    func tooDeepAtTheEnd() {
        // Foundation crashes building its too-deep error when the body ends right there.
        #expect(parse(String(repeating: "[", count: 513)) == .failure(.malformedJSON))
        #expect(parse(#"{"num": "# + String(repeating: "[", count: 512)) == .failure(.malformedJSON))
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(parse(deepest) == .failure(.notAnObject(found: "an array")))
        #expect(parse(#"{"x": "[[[[", "num": 4}"#) == .success(4))
    }

    @Test("messages are one line and say what to send")
    func messages() {
        let errors: [SeedInputError] = [
            .emptyBody, .malformedJSON, .notAnObject(found: "an array"), .missingNum, .duplicateNum,
            .numNotANumber(found: "a string"), .numNotAnInteger, .bodyTooLarge(limit: 1024),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains(#"{"num": 100}"#), "\(error)")
        }
        #expect(SeedInputError.numOutOfRange.description.contains("-9223372036854775808"))
        #expect(SeedInputError.numOutOfRange.description.contains("9223372036854775807"))
    }
}
