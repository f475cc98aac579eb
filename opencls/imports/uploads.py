from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# Multipart headers and the CSRF field around the file.
ENVELOPE = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops keeping an upload once it passes OPENCLS_MAX_UPLOAD_BYTES: the rest of a 200 MB file
    is read and dropped, never written to memory or disk. The view finds `request.upload_too_large`."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request.upload_too_large = None
        if content_length and content_length > settings.OPENCLS_MAX_UPLOAD_BYTES + ENVELOPE:
            self.request.upload_too_large = content_length

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.request.upload_too_large:
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.OPENCLS_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = start + len(raw_data)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
