package dev.rolloutdoctor.snapshot.decode;

import java.util.List;

/** A sequence of values. */
public final class SeqNode implements Node {

    private final List<Node> items;
    private final int line;
    private final int column;

    public SeqNode(List<Node> items, int line, int column) {
        this.items = items;
        this.line = line;
        this.column = column;
    }

    public List<Node> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    @Override
    public int line() {
        return line;
    }

    @Override
    public int column() {
        return column;
    }

    @Override
    public String describe() {
        return "a list";
    }
}
