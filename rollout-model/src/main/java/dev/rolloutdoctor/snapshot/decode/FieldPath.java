package dev.rolloutdoctor.snapshot.decode;

/** The path of a field inside an object ({@code spec.template.spec.containers[0].image}), built as decoding descends. */
public final class FieldPath {

    public static final FieldPath ROOT = new FieldPath(null, null, -1);

    private final FieldPath parent;
    private final String name;
    private final int index;

    private FieldPath(FieldPath parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    public FieldPath field(String field) {
        return new FieldPath(this, field, -1);
    }

    public FieldPath index(int i) {
        return new FieldPath(this, null, i);
    }

    @Override
    public String toString() {
        if (parent == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        append(sb);
        return sb.toString();
    }

    private void append(StringBuilder sb) {
        if (parent == null) {
            return;
        }
        parent.append(sb);
        if (name == null) {
            sb.append('[').append(index).append(']');
        } else {
            if (sb.length() > 0) {
                sb.append('.');
            }
            // keys with dots (annotation names) are quoted the way kubectl's jsonpath would need them
            if (name.indexOf('.') >= 0 || name.indexOf('/') >= 0) {
                sb.append('"').append(name).append('"');
            } else {
                sb.append(name);
            }
        }
    }
}
