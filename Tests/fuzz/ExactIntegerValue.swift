// The fuzz target's independent reading of a JSON number literal (RFC 8259 §6): which integer it
// stands for, worked out on its decimal digits as text, by another method than the server's
// JSONIntegerLiteral (which accumulates a significand and an exponent). An accepted body is
// compared against this, so a wrong value cannot confirm itself by parsing its own echo again.
enum ExactIntegerValue {
    /// What a literal is, judged only by its digits: an `Int64`, a number with a nonzero
    /// fraction, or an integer outside the signed 64-bit range.
    enum Verdict: Equatable {
        case integer(Int64)
        case fraction
        case outOfRange
    }

    /// The verdict for `literal`, or nil when it does not follow the grammar
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func of(_ literal: [UInt8]) -> Verdict? {
        let text = String(decoding: literal, as: UTF8.self)
        guard let pieces = Pieces(text) else { return nil }
        // Every digit written, in order, and where the decimal point falls among them once the
        // exponent has moved it: digits before `point` are the integer part, the rest the fraction.
        let digits = Array(pieces.integer + pieces.fraction)
        let point = pieces.integer.count + pieces.exponent
        let fraction = point >= digits.count ? [] : digits[max(point, 0)...]
        guard fraction.allSatisfy({ $0 == "0" }) else { return .fraction }
        let written = point <= 0 ? [] : digits[..<min(point, digits.count)]
        let significant = written.drop(while: { $0 == "0" })
        if significant.isEmpty { return .integer(0) }
        // The exponent appends zeros past the written digits; count them before writing any.
        let appendedZeros = max(0, point - digits.count)
        let length = significant.count + appendedZeros
        let limit = pieces.negative ? "9223372036854775808" : "9223372036854775807"
        guard length <= limit.count else { return .outOfRange }
        let magnitude = String(significant) + String(repeating: "0", count: appendedZeros)
        // Same length: decimal strings compare like the numbers they spell.
        guard length < limit.count || magnitude <= limit else { return .outOfRange }
        return Int64((pieces.negative ? "-" : "") + magnitude).map(Verdict.integer)
    }

    /// The literal split by the grammar's rules; the exponent is clamped to ±100 000 000, far past
    /// the 1 KiB a body may hold, so a clamped exponent decides the same way as the real one.
    private struct Pieces {
        var negative = false
        var integer = Substring()
        var fraction = Substring()
        var exponent = 0

        init?(_ text: String) {
            var rest = Substring(text)
            if rest.hasPrefix("-") {
                negative = true
                rest = rest.dropFirst()
            }
            integer = rest.prefix(while: \.isASCIIDigit)
            rest = rest.dropFirst(integer.count)
            guard !integer.isEmpty, integer == "0" || !integer.hasPrefix("0") else { return nil }
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                fraction = rest.prefix(while: \.isASCIIDigit)
                rest = rest.dropFirst(fraction.count)
                guard !fraction.isEmpty else { return nil }
            }
            if rest.hasPrefix("e") || rest.hasPrefix("E") {
                rest = rest.dropFirst()
                var sign = 1
                if rest.hasPrefix("+") || rest.hasPrefix("-") {
                    sign = rest.hasPrefix("-") ? -1 : 1
                    rest = rest.dropFirst()
                }
                let written = rest.prefix(while: \.isASCIIDigit)
                rest = rest.dropFirst(written.count)
                guard !written.isEmpty else { return nil }
                let significant = written.drop(while: { $0 == "0" })
                let magnitude = significant.count > 8 ? 100_000_000 : Int(significant) ?? 0
                exponent = sign * magnitude
            }
            guard rest.isEmpty else { return nil }
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
