package dev.jcn.notebook.widgets;

import java.util.ArrayList;
import java.util.List;

/** JSON values from the frontend as the types the widgets expose. */
final class Values {

    private Values() {}

    static int toInt(Object v) {
        return v instanceof Number n ? (int) Math.round(n.doubleValue()) : 0;
    }

    static double toDouble(Object v) {
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    static boolean toBoolean(Object v) {
        return v instanceof Boolean b && b;
    }

    static String toText(Object v) {
        return v == null ? "" : v.toString();
    }

    static List<Integer> toInts(Object v) {
        List<Integer> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(x -> out.add(toInt(x)));
        }
        return List.copyOf(out);
    }

    static List<Long> longs(List<Integer> ints) {
        return ints.stream().map(Integer::longValue).toList();
    }
}
