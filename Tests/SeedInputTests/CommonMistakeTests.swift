import SeedInput
import Testing

@Suite("Common mistakes behind a body that is not JSON")
struct CommonMistakeTests {
    @Test(arguments: [
        ("num=5", CommonMistake.formData),
        ("num=5&other=x", .formData),
        ("  num=5\n", .formData),
        (#"'{"num": 5}'"#, .singleQuotedBody),
        (#"'{"num":5}'"#, .singleQuotedBody),
        ("{num: 5}", .keyWithoutDoubleQuotes),
        ("{ num:5 }", .keyWithoutDoubleQuotes),
        ("{'num': 5}", .keyWithoutDoubleQuotes),
    ])
    func recognised(body: String, mistake: CommonMistake) {
        #expect(SeedRequestBody.parse(Array(body.utf8)) == .failure(.malformedJSON))
        #expect(CommonMistake.recognise(in: Array(body.utf8)) == mistake)
    }

    @Test(arguments: ["{", #"{"num": 5"#, #"{"num": 5,}"#, "[5]x", "=5", "'", #"{"num" 5}"#, "5 = 5"])
    func otherMalformedBodiesAreNotGuessedAt(body: String) {
        #expect(CommonMistake.recognise(in: Array(body.utf8)) == nil)
    }

    @Test func everyAdviceIsOneLineThatShowsTheFix() {
        for mistake in [CommonMistake.formData, .singleQuotedBody, .keyWithoutDoubleQuotes] {
            #expect(!mistake.advice.contains("\n"))
            #expect(mistake.advice.contains(#""num": 5"#) || mistake.advice.contains(#"\"num\": 5"#))
        }
    }
}
