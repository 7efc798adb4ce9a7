// The one right answer for a request body, worked out from the README's rules with the fuzz
// target's own parts (StrictJSON for the structure, ExactIntegerValue for the number) and none
// of the server's code. The server's answer must equal it, value or reason, for every input but
// the one kind RFC 8259 itself leaves open.
enum ExpectedOutcome {
    /// The answer `body` calls for; nil only for valid JSON with an unpaired surrogate escape,
    /// where the RFC promises nothing (then the target checks only the other properties).
    static func of(_ body: [UInt8]) -> Result<Int64, SeedInputError>? {
        if body.count > SeedRequestBody.maximumBytes {
            return .failure(.bodyTooLarge(limit: SeedRequestBody.maximumBytes))
        }
        if body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return .failure(.emptyBody) }
        guard let document = StrictJSON.document(body) else { return .failure(.malformedJSON) }
        if document.hasUnpairedSurrogate { return nil }
        guard document.kind == .object else { return .failure(.notAnObject(found: phrase(document.kind))) }
        let nums = document.members.filter { $0.name == Array("num".utf16) }
        guard let num = nums.first else { return .failure(.missingNum) }
        guard nums.count == 1 else { return .failure(.duplicateNum) }
        guard num.kind == .number else { return .failure(.numNotANumber(found: phrase(num.kind))) }
        switch ExactIntegerValue.of(num.literal) {
        case .integer(let value)?: return .success(value)
        case .fraction?: return .failure(.numNotAnInteger)
        case .outOfRange?: return .failure(.numOutOfRange)
        case nil: return .failure(.malformedJSON)  // StrictJSON let through a bad literal
        }
    }

    /// How the README's messages name a kind of value.
    private static func phrase(_ kind: StrictJSON.Kind) -> String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .boolean: return "a boolean"
        case .null: return "null"
        }
    }
}
