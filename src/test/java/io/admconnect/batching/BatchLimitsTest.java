package io.admconnect.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BatchLimitsTest {

    @Test
    void aBatcherLookingEvery100msTakesABatch100msBeforeItsWaitIsOver() {
        BatchLimits limits = new BatchLimits(5000, BatchLimits.MAX_BYTES, Duration.ofSeconds(5));

        BatchLimits claimed = limits.dueEarlierBy(Duration.ofMillis(100));

        assertEquals(new BatchLimits(5000, BatchLimits.MAX_BYTES, Duration.ofMillis(4900)), claimed);
    }

    @Test
    void aWaitUnderTwoPollIntervalsIsKept() {
        BatchLimits limits = new BatchLimits(100, 1000, Duration.ofMillis(199));

        assertSame(limits, limits.dueEarlierBy(Duration.ofMillis(100)));
        assertEquals(Duration.ofMillis(100), new BatchLimits(100, 1000, Duration.ofMillis(200))
                .dueEarlierBy(Duration.ofMillis(100)).maxWait());
    }

    @Test
    void limitsOutsideAdmsAreRefusedWithTheSettingsName() {
        assertEquals("ADM_BATCH_MAX_MEMBERS must be between 1 and 10000, not 10001", assertThrows(IllegalArgumentException.class,
                () -> new BatchLimits(10_001, 1000, Duration.ofSeconds(1))).getMessage());
        assertEquals("ADM_BATCH_MAX_WAIT must be positive, e.g. 5s", assertThrows(IllegalArgumentException.class,
                () -> new BatchLimits(10, 1000, Duration.ZERO)).getMessage());
    }
}
