/// The exact integer a JSON number literal stands for, or why it is not a signed 64-bit one.
///
/// Works on the digits themselves (RFC 8259 §6 grammar), so `1e2`, `1.0` and `-0` are integers,
/// `1.0000000000000000000000000000000000000001` is not, and a 10 000-digit literal is out of
/// range rather than rounded.
enum JSONIntegerLiteral {
    static func value(of literal: ArraySlice<UInt8>) -> Result<Int64, SeedInputError> {
        guard let parts = Parts(literal) else { return .failure(.malformedJSON) }
        // value = ±significand × 10^exponent, significand without leading or trailing zeros.
        var significand = (parts.integerDigits + parts.fractionDigits).drop(while: { $0 == 0 })
        guard !significand.isEmpty else { return .success(0) }
        var exponent = parts.exponent - parts.fractionDigits.count
        while significand.last == 0 {
            significand.removeLast()
            exponent += 1
        }
        guard exponent >= 0 else { return .failure(.numNotAnInteger) }
        guard significand.count + exponent <= 19 else { return .failure(.numOutOfRange) }
        var magnitude: UInt64 = 0
        for digit in significand { magnitude = magnitude * 10 + UInt64(digit) }
        for _ in 0..<exponent { magnitude *= 10 }  // at most 19 digits in all: fits in UInt64
        if parts.negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return .failure(.numOutOfRange) }
            return .success(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
        }
        guard magnitude <= UInt64(Int64.max) else { return .failure(.numOutOfRange) }
        return .success(Int64(magnitude))
    }

    /// Whether `literal` follows RFC 8259's number grammar.
    static func isWellFormed(_ literal: ArraySlice<UInt8>) -> Bool {
        Parts(literal) != nil
    }

    /// The bytes a number literal can contain (the grammar decides the order).
    static func isNumberCharacter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
            || byte == UInt8(ascii: "E")
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, split into its parts.
    private struct Parts {
        var negative = false
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        /// Saturates far beyond anything that fits in 19 digits, so no literal can overflow it.
        var exponent = 0

        init?(_ literal: ArraySlice<UInt8>) {
            var rest = literal[...]
            if rest.first == UInt8(ascii: "-") {
                negative = true
                rest.removeFirst()
            }
            integerDigits = Self.digits(&rest)
            guard let first = integerDigits.first, first != 0 || integerDigits.count == 1 else { return nil }
            if rest.first == UInt8(ascii: ".") {
                rest.removeFirst()
                fractionDigits = Self.digits(&rest)
                guard !fractionDigits.isEmpty else { return nil }
            }
            if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
                rest.removeFirst()
                var sign = 1
                if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") {
                    sign = rest.removeFirst() == UInt8(ascii: "-") ? -1 : 1
                }
                let digits = Self.digits(&rest)
                guard !digits.isEmpty else { return nil }
                let limit = 1_000_000
                exponent = sign * digits.reduce(0) { min($0 * 10 + Int($1), limit) }
            }
            guard rest.isEmpty else { return nil }
        }

        private static func digits(_ text: inout ArraySlice<UInt8>) -> [UInt8] {
            let digits = text.prefix(while: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            text.removeFirst(digits.count)
            return digits.map { $0 - UInt8(ascii: "0") }
        }
    }
}
