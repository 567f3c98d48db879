"""Chinese numerals as statutes use them: 第三十二条, 第一百零五条, 第十条之一."""
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)


def to_int(text):
    """Return the integer a Chinese numeral (or Arabic digits) stands for; raise ValueError."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(char not in DIGITS and char not in UNITS for char in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, digit = 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        else:
            # A bare 十 at the start means 一十 (十二 = 12).
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
    return total + (digit or 0)


def to_chinese(number):
    """Return the statute-style Chinese numeral for 1 ≤ number ≤ 9999 (32 → 三十二)."""
    if not 0 < number < 10000:
        raise ValueError(number)
    digits = "零一二三四五六七八九"
    parts, zero_pending = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            parts.append(digits[digit] + unit)
        elif parts:
            zero_pending = True
        if not number:
            break
    text = "".join(parts)
    # 一十二 is written 十二 when it leads the numeral.
    return text[1:] if text.startswith("一十") else text
