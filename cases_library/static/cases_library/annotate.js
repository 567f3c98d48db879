/* Trainers select a passage of a case paragraph; the form records the paragraph's block id
   and the passage's offsets within the paragraph's text (the server stores the quote). */
(function () {
  "use strict";
  var form = document.getElementById("annotate-form");
  if (!form) { return; }

  function offsetIn(para, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(para);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function onSelect() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
    var range = selection.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var para = start.closest("[data-block-id]");
    if (!para || !para.contains(range.endContainer)) { return; }
    var from = offsetIn(para, range.startContainer, range.startOffset);
    var to = offsetIn(para, range.endContainer, range.endOffset);
    if (to <= from) { return; }
    form.elements.block_id.value = para.dataset.blockId;
    form.elements.start.value = from;
    form.elements.end.value = to;
    document.getElementById("annotate-quote").textContent = para.textContent.slice(from, to);
    form.hidden = false;
    form.elements.comment.focus({ preventScroll: true });
  }

  document.addEventListener("mouseup", function () { setTimeout(onSelect, 0); });
  document.addEventListener("keyup", function (event) { if (event.shiftKey) { onSelect(); } });
  form.querySelector("[data-cancel]").addEventListener("click", function () { form.hidden = true; });
})();
