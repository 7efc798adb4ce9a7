/// Why a request body was refused. Every message is one line that says what to send instead.
///
/// A struct around a private enum, so new reasons can be added without breaking callers.
public struct SeedInputError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Reason: Equatable, Sendable {
        case emptyBody
        case malformedJSON
        case notAnObject(found: String)
        case missingNum
        case duplicateNum
        case numNotANumber(found: String)
        case numNotAnInteger
        case numOutOfRange
        case bodyTooLarge(limit: Int)
    }

    private let reason: Reason
    private init(_ reason: Reason) { self.reason = reason }

    public static let emptyBody = SeedInputError(.emptyBody)
    public static let malformedJSON = SeedInputError(.malformedJSON)
    public static func notAnObject(found: String) -> SeedInputError { .init(.notAnObject(found: found)) }
    public static let missingNum = SeedInputError(.missingNum)
    public static let duplicateNum = SeedInputError(.duplicateNum)
    public static func numNotANumber(found: String) -> SeedInputError { .init(.numNotANumber(found: found)) }
    public static let numNotAnInteger = SeedInputError(.numNotAnInteger)
    public static let numOutOfRange = SeedInputError(.numOutOfRange)
    public static func bodyTooLarge(limit: Int) -> SeedInputError { .init(.bodyTooLarge(limit: limit)) }

    /// True when the body was refused for its size rather than its content (HTTP 413, not 400).
    public var isBodyTooLarge: Bool {
        if case .bodyTooLarge = reason { return true }
        return false
    }

    public var description: String {
        let example = #"send a JSON object like {"num": 100}"#
        switch reason {
        case .emptyBody:
            return "empty body: \(example)"
        case .malformedJSON:
            return "body is not valid JSON: \(example)"
        case .notAnObject(let found):
            return "body is \(found), not a JSON object: \(example)"
        case .missingNum:
            return #"missing field "num": "# + example
        case .duplicateNum:
            return #""num" appears more than once: "# + example
        case .numNotANumber(let found):
            return #""num" is \#(found), not a number: "# + example
        case .numNotAnInteger:
            return #""num" must be a whole number (no fraction): "# + example
        case .numOutOfRange:
            return #""num" must be a signed 64-bit integer, from \#(Int64.min) to \#(Int64.max)"#
        case .bodyTooLarge(let limit):
            return "body is larger than \(limit) bytes: \(example)"
        }
    }
}
