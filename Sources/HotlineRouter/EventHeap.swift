/// What can happen next in a call-centre simulation.
public enum SimulationEvent: Sendable, Hashable {
    /// The next caller of traffic stream `stream` arrives.
    case arrival(stream: Int32)
    /// A timer the router armed.
    case timer(RouterTimer)
    /// A simulated agent picks up their ringing phone.
    case pickUp(agent: Int32, call: CallHandle)
    /// A waiting caller's patience runs out.
    case patienceEnds(CallHandle)
    /// The conversation is over.
    case conversationEnds(CallHandle)
}

/// The simulation's future events: a binary min-heap on (time, insertion order), so events at the same
/// instant run in the order they were scheduled and a run is reproducible.
///
/// Stored inline in one array of plain values: once the array has grown, pushing and popping allocate nothing.
public struct EventHeap: Sendable {
    struct Entry: Sendable {
        var time: Double
        var sequence: UInt64
        var event: SimulationEvent

        @inline(__always) func before(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    var entries: [Entry] = []
    var nextSequence: UInt64 = 0

    public init(capacity: Int = 1024) { entries.reserveCapacity(capacity) }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    /// The time of the earliest event.
    public var nextTime: Double? { entries.first?.time }

    public mutating func push(_ event: SimulationEvent, at time: Double) {
        nextSequence &+= 1
        entries.append(Entry(time: time, sequence: nextSequence, event: event))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].before(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    public mutating func pop() -> (time: Double, event: SimulationEvent)? {
        guard !entries.isEmpty else { return nil }
        let top = entries[0]
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            let count = entries.count
            while true {
                let left = 2 * parent + 1
                if left >= count { break }
                var smallest = left
                let right = left + 1
                if right < count && entries[right].before(entries[left]) { smallest = right }
                guard entries[smallest].before(entries[parent]) else { break }
                entries.swapAt(smallest, parent)
                parent = smallest
            }
        }
        return (top.time, top.event)
    }
}
