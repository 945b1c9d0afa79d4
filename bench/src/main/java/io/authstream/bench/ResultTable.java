package io.authstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A report's rows: printed as a table, one {@code rowFormat} for the heading and every row, and written as CSV. */
final class ResultTable {

    private ResultTable() {}

    static void printAndWrite(
            String rowFormat, List<String> heading, List<String[]> rows, String csvHeader, Path csvFile)
            throws IOException {
        System.out.println();
        System.out.printf(rowFormat, heading.toArray());
        rows.forEach(row -> System.out.printf(rowFormat, (Object[]) row));
        Files.createDirectories(csvFile.getParent());
        StringBuilder csv = new StringBuilder(csvHeader).append('\n');
        rows.forEach(row -> csv.append(String.join(",", row)).append('\n'));
        Files.writeString(csvFile, csv);
        System.out.println("written " + csvFile);
    }
}
