#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What kind of JSON value stood somewhere, found through Foundation's decoder alone.
///
/// Numbers are only recognised here, never converted: Foundation reads `1.0000…0001` (over 38
/// digits) as 1, `1e-400` as 0 in an `Int64`, and `9007199254740993.0` through `Double`. The
/// exact value comes from the literal itself (`JSONIntegerLiteral`).
enum JSONValueKind: Decodable, Equatable {
    case number
    case string
    case boolean
    case null
    case array
    case object

    init(from decoder: Decoder) throws {
        let value = try decoder.singleValueContainer()
        if (try? value.decode(Int64.self)) != nil {
            self = .number  // the common case first: each failed probe below costs an error value
        } else if value.decodeNil() {
            self = .null
        } else if (try? value.decode(Bool.self)) != nil {
            self = .boolean
        } else if (try? value.decode(String.self)) != nil {
            self = .string
        } else if (try? decoder.unkeyedContainer()) != nil {
            self = .array
        } else if (try? decoder.container(keyedBy: AnyCodingKey.self)) != nil {
            self = .object
        } else {
            // The document parsed as JSON and only numbers are left (ones no Swift type can hold).
            self = .number
        }
    }

    /// How the kind reads in an error message: "a string", "an array", ...
    var phrase: String {
        switch self {
        case .number: return "a number"
        case .string: return "a string"
        case .boolean: return "a boolean"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
