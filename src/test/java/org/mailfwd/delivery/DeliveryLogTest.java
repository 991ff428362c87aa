package org.mailfwd.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryLogTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "epoch,                 0,             1970-01-01T00:00:00.000Z",
        "whole second,          1796400000000, 2026-12-04T16:00:00.000Z",
        "milliseconds kept,     1796405477718, 2026-12-04T17:31:17.718Z",
        "single-digit millis,   1796405477007, 2026-12-04T17:31:17.007Z",
        "leap day,              1709251199999, 2024-02-29T23:59:59.999Z",
        "before 1970,           -1,            1969-12-31T23:59:59.999Z",
        "no leap day in 2100,   4107542400000, 2100-03-01T00:00:00.000Z",
        "leap day in 2000,      951782400000,  2000-02-29T00:00:00.000Z",
        "last of the year,      1798761599999, 2026-12-31T23:59:59.999Z",
    })
    void timestampIsUtcWithThreeDigitMilliseconds(String name, long millis, String expected) {
        assertThat(DeliveryLog.timestamp(millis)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1796405477718", "1796400000123", "4102444799999"})
    void timestampReadsBackAsTheSameInstant(long millis) {
        assertThat(Instant.parse(DeliveryLog.timestamp(millis)).toEpochMilli()).isEqualTo(millis);
    }

    /** Any moment of the years 1000 to 9999 reads back as itself. */
    @Property
    void everyTimestampReadsBackAsTheSameInstant(
            @ForAll @LongRange(min = -30_610_224_000_000L, max = 253_402_300_799_999L)
            long millis) {
        assertThat(Instant.parse(DeliveryLog.timestamp(millis)).toEpochMilli()).isEqualTo(millis);
    }
}
