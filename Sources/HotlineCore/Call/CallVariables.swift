import Foundation

/// A call's variables, kept compactly: an array indexed by the slot ``FlowProgram`` gave each name
/// the flow uses or an integration sets, and a dictionary only for names nobody declared (what a
/// `set` action or a scenario invents). The machine reads and writes slots; names are looked up
/// once, when the flow is compiled, or when a value arrives by name.
struct CallVariables: Sendable {
    private let slots: VariableSlots
    private var values: [String?]
    /// Variables whose names have no slot.
    private var others: [String: String] = [:]

    init(slots: VariableSlots, initial: [String: String]) {
        self.slots = slots
        values = Array(repeating: nil, count: slots.names.count)
        for (name, value) in initial { self[name] = value }
    }

    subscript(slot slot: Int) -> String? {
        get { values[slot] }
        set { values[slot] = newValue }
    }

    subscript(name: String) -> String? {
        get {
            if let slot = slots.slotByName[name] { return values[slot] }
            return others[name]
        }
        set {
            if let slot = slots.slotByName[name] { values[slot] = newValue } else { others[name] = newValue }
        }
    }

    /// Every variable that has a value, by name.
    var dictionary: [String: String] {
        var result = others
        result.reserveCapacity(others.count + values.count)
        for (slot, value) in values.enumerated() {
            if let value { result[slots.names[slot]] = value }
        }
        return result
    }
}
