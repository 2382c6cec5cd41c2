package dev.jcn.helpers.pool;

import java.util.List;

/** Argument checks shared by the pools. */
final class Jobs {

    private Jobs() {
    }

    static int workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 worker, got " + workers);
        }
        return workers;
    }

    static List<Long> numbers(List<Long> numbers) {
        if (numbers == null || numbers.isEmpty()) {
            throw new IllegalArgumentException("nothing to check: the list of numbers is empty");
        }
        for (Long n : numbers) {
            if (n == null || n < 0) {
                throw new IllegalArgumentException("numbers to check must be non-negative, got " + n);
            }
        }
        return List.copyOf(numbers);
    }

    static java.time.Duration pause(java.time.Duration pause) {
        if (pause == null || pause.isNegative()) {
            throw new IllegalArgumentException("the collector's pause must not be negative, got " + pause);
        }
        return pause;
    }
}
