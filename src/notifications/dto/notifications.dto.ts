import { IsIn } from 'class-validator';
import { PageNumber } from '../../common/form-fields';
import { DELIVERY_MODES, type DeliveryMode } from '../notification-kinds';

export class NotificationListQuery {
  @PageNumber()
  page?: number;
}

const mode = () => IsIn(DELIVERY_MODES, { message: 'Choose immediately, daily digest or off.' });

/** The preferences form: one field per kind of notification (see NOTIFICATION_KINDS). */
export class NotificationPreferencesDto {
  @mode() submission_received: DeliveryMode;
  @mode() feedback_released: DeliveryMode;
  @mode() changes_requested: DeliveryMode;
  @mode() accepted: DeliveryMode;
  @mode() comment_posted: DeliveryMode;
  @mode() extension_granted: DeliveryMode;
  @mode() task_published: DeliveryMode;
  @mode() deadline_reminder: DeliveryMode;
  @mode() meeting_booked: DeliveryMode;
  @mode() meeting_rescheduled: DeliveryMode;
  @mode() meeting_cancelled: DeliveryMode;
  @mode() meeting_notes: DeliveryMode;
}
