"""The 系统管理员's upload of a schedule file (放假安排文件). The service reads and checks the file."""
from django import forms

from liuhen.common.text import single_line

from .schedule import MAX_BYTES


class LoadForm(forms.Form):
    file = forms.FileField(label="放假安排文件（YAML）", error_messages={
        "required": "请选择放假安排文件。", "empty": "所选文件是空的。", "invalid": "请选择一个文件。"},
        help_text="国务院办公厅放假安排通知的数据文件，格式见 docs/workdays.md。")
    reason = forms.CharField(label="说明", required=False, max_length=500, validators=[single_line],
                             error_messages={"max_length": "说明最多 500 个字符。"})

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(f"文件过大（{f.size} 字节，上限 {MAX_BYTES} 字节），不是放假安排文件。",
                                        code="too_large")
        return f
