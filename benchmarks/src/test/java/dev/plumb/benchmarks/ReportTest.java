package dev.plumb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.benchmarks.driver.Report;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void numbersKeepAboutThreeSignificantFigures() {
    assertEquals("1,234,568", Report.number(1_234_567.8));
    assertEquals("123", Report.number(123.4));
    assertEquals("12.3", Report.number(12.34));
    assertEquals("1.23", Report.number(1.234));
  }

  @Test
  void aCellIsTheMedianWithTheRangeOfTheRepetitions() {
    assertEquals("–", Report.cell(0, Double.NaN, Double.NaN, Double.NaN, Report::number));
    assertEquals("12.0", Report.cell(1, 12, 12, 12, Report::number));
    assertEquals("12.0 [10.0–15.0]", Report.cell(3, 12, 10, 15, Report::number));
  }

  @Test
  void ratiosHaveTwoDecimalsAndADashWhenThereIsNoReference() {
    assertEquals("0.50", Report.ratio(0.5));
    assertEquals("–", Report.ratio(Double.NaN));
  }

  @Test
  void payloadSizesReadAsBytesOrKibibytes() {
    assertEquals("16 B", Report.size(16));
    assertEquals("4 KiB", Report.size(4096));
    assertEquals("256 KiB", Report.size(262144));
  }

  @Test
  void transferSizesReadAsMebibytesWhenWhole() {
    assertEquals("256 MiB", Report.bytes(256L << 20));
    assertEquals("1 MiB", Report.bytes(1 << 20));
    assertEquals("1536 KiB", Report.bytes(3 << 19));
    assertEquals("100 B", Report.bytes(100));
  }
}
